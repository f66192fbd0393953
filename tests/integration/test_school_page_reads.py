"""What the school's round pages read in one session (services.rounds.school_rounds and teacher_views):
the admin's rounds overview, a teacher's evening and the families of their classes still to book, and who
is refused."""

from __future__ import annotations

import pytest

from ogp_app.core.db import school_session
from ogp_app.models import Role
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.school_rounds import school_rounds
from ogp_app.services.rounds.teacher_views import current_evening, not_booked_per_round
from tests.support.factories import Factory
from tests.support.rounds import build_world


def test_the_admin_sees_every_class_and_the_rounds_progress_and_a_parent_sees_nothing(
    factory: Factory,
) -> None:
    w = build_world(factory)
    slot = w.slots(w.teacher_a)[0]
    with school_session(w.school_id) as db:
        book(db, actor=w.other_parent, slot_id=slot.id, pupil_id=w.other_kid.id)
    with school_session(w.school_id) as db:
        page = school_rounds(db, actor=w.admin)
    assert [name for _id, name in page.classes] == ["Groep 5", "Groep 7"]
    [line] = page.rounds
    assert line.summary.name == "Rapportgesprekken" and line.reach is None  # open: no "whom it reaches"
    progress = {(p.class_name, p.booked, p.pupils) for p in line.progress}
    assert progress == {("Groep 5", 1, 3), ("Groep 7", 0, 1)}
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        school_rounds(db, actor=w.parent)


def test_a_teacher_sees_their_own_evening_and_the_families_of_their_own_classes(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        evening = current_evening(db, actor=w.teacher_actor)
        per_round = not_booked_per_round(db, actor=w.teacher_actor)
    assert evening is not None and evening.round_id == w.round_id and evening.room == "Lokaal 5"
    assert sum(len(rows) for _day, rows in evening.days) == len(w.slots(w.teacher_a))
    [(round_name, groups)] = per_round
    assert round_name == "Rapportgesprekken"
    assert [g.class_name for g in groups] == ["Groep 5"]  # not Groep 7: another teacher's class
    # Julia's parents live apart and are met per household: each still has to book
    assert sorted(f.pupil.split()[0] for f in groups[0].families) == ["Julia", "Julia", "Liam", "Noah"]


def test_a_teacher_account_without_a_roster_teacher_is_refused(factory: Factory) -> None:
    w = build_world(factory)
    stranger = factory.member(w.school, Role.TEACHER)  # an account, but no teacher on the roster
    assert stranger.id is not None
    actor = Actor(user_id=stranger.id, school_id=w.school_id, is_teacher=True)
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        current_evening(db, actor=actor)
