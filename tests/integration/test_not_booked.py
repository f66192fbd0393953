"""Who has not booked, by name, per round and class: per pupil and, for separated parents met per
household, per household; the admin reminds exactly those families (recorded as "last reminder"), a
teacher sees only their own classes, nobody else sees anything."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Guardian, OutboxMessage
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds import RoundNotFound
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.progress import ClassFamilies, families_not_booked, round_progress
from ogp_app.services.rounds.reminders import remind_unbooked
from ogp_app.services.rounds.setup import get_round
from tests.support.factories import Factory
from tests.support.rounds import World, build_world


def _names(w: World, actor: Actor) -> str:
    with school_session(w.school_id) as db:
        return db.exec(select(Guardian.display_name).where(Guardian.user_id == actor.user_id)).one()


def _shown(groups: list[ClassFamilies]) -> dict[str, list[tuple[str, list[str], bool]]]:
    """Class -> (pupil, guardians, reminded) per family still to book."""
    return {
        g.class_name: [(f.pupil, f.guardians, f.last_reminder is not None) for f in g.families]
        for g in groups
    }


def _not_booked(w: World, actor: Actor, **kw: object) -> list[ClassFamilies]:
    with school_session(w.school_id) as db:
        return families_not_booked(db, actor=actor, round_id=w.round_id, **kw)


def _invites() -> list[OutboxMessage]:
    with unscoped() as db:
        query = select(OutboxMessage).where(OutboxMessage.template == "round_invite")
        return list(db.exec(query.order_by(col(OutboxMessage.id))).all())


def test_admin_sees_families_per_household_and_reminds_exactly_one_class(factory: Factory) -> None:
    w = build_world(factory)
    parent, other, mum, dad = (_names(w, a) for a in (w.parent, w.other_parent, w.mum, w.dad))
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
        book(db, actor=w.mum, slot_id=w.slots(w.teacher_a)[1].id, pupil_id=w.split_kid.id)
    assert _shown(_not_booked(w, w.admin)) == {
        # Noah is booked; Julia's mum booked her own conversation, her dad not yet
        "Groep 5": [("Julia Jansen", [dad], False), ("Liam Jansen", [other], False)],
        "Groep 7": [("Emma Jansen", [parent], False)],
    }
    with school_session(w.school_id) as db:  # the counts come from the same rule: Julia is not done
        progress = round_progress(db, rnd=get_round(db, w.round_id))
    assert [(p.class_name, p.pupils, p.booked) for p in progress] == [("Groep 5", 3, 1), ("Groep 7", 1, 0)]
    assert [(g.pupils, g.booked) for g in _not_booked(w, w.admin)] == [(3, 1), (1, 0)]

    with school_session(w.school_id) as db:
        sent = remind_unbooked(db, actor=w.admin, round_id=w.round_id, class_id=w.class_a.id)
    mails = _invites()
    assert sent == 2 and sorted(m.to_email for m in mails) == sorted(
        [_email(w, w.other_parent), _email(w, w.dad)]
    )
    dads = next(m for m in mails if m.to_email == _email(w, w.dad))
    assert "Julia Jansen" in dads.text_body and "Emma" not in dads.text_body
    assert _shown(_not_booked(w, w.admin)) == {
        "Groep 5": [("Julia Jansen", [dad], True), ("Liam Jansen", [other], True)],
        "Groep 7": [("Emma Jansen", [parent], False)],  # not this class: not reminded
    }
    assert mum not in str(_shown(_not_booked(w, w.admin)))


def _email(w: World, actor: Actor) -> str:
    with school_session(w.school_id) as db:
        return db.exec(select(Guardian.email).where(Guardian.user_id == actor.user_id)).one()


def test_a_joint_meeting_is_one_family_and_its_booking_by_either_parent_counts(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        julia = db.get(type(w.split_kid), w.split_kid.id)
        assert julia is not None
        julia.meeting_mode = "joint"
        db.add(julia)
        db.commit()
    [julia_row] = [f for f in _not_booked(w, w.admin)[0].families if f.pupil.startswith("Julia")]
    assert sorted(julia_row.guardians) == sorted([_names(w, w.mum), _names(w, w.dad)])
    with school_session(w.school_id) as db:
        book(db, actor=w.dad, slot_id=w.slots(w.teacher_a)[2].id, pupil_id=w.split_kid.id)
    assert all(not f.pupil.startswith("Julia") for f in _not_booked(w, w.admin)[0].families)


def test_a_teacher_sees_only_their_own_classes_and_cannot_remind(factory: Factory) -> None:
    w = build_world(factory)  # the teacher is Groep 5's mentor
    assert [g.class_name for g in _not_booked(w, w.teacher_actor)] == ["Groep 5"]
    with pytest.raises(PermissionDenied):
        _not_booked(w, w.teacher_actor, class_id=w.class_b.id)
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        remind_unbooked(db, actor=w.teacher_actor, round_id=w.round_id, class_id=w.class_a.id)
    assert _invites() == []


@pytest.mark.parametrize("bad", ["1", None, -1, 2**40, True, [1]])
def test_nobody_else_sees_anything_and_bad_arguments_are_refused(factory: Factory, bad: object) -> None:
    w = build_world(factory)
    with pytest.raises(PermissionDenied):
        _not_booked(w, w.parent)
    if bad is not None:
        with pytest.raises(PermissionDenied):
            _not_booked(w, w.admin, class_id=bad)
        with school_session(w.school_id) as db, pytest.raises(RoundNotFound):
            families_not_booked(db, actor=w.admin, round_id=bad)
    stranger = build_world(factory)  # another school's admin, asking for this round
    with school_session(stranger.school_id) as db, pytest.raises(RoundNotFound):
        families_not_booked(db, actor=stranger.admin, round_id=w.round_id)
    with school_session(stranger.school_id) as db, pytest.raises(RoundNotFound):
        remind_unbooked(db, actor=stranger.admin, round_id=w.round_id)
    assert _invites() == []
