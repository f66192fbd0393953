"""The admin's round page services: the whole picture of one round, removing a break, and booking on a
family's behalf (outside the window too) with the family told."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import OutboxMessage, RoundDay
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.admin import remove_break, round_admin
from ogp_app.services.rounds.booking import book, rebook
from ogp_app.services.rounds.clock import hhmm
from ogp_app.services.rounds.errors import RoundInvalid, RoundNotFound
from ogp_app.services.rounds.setup import add_break, set_teacher_room
from tests.support.factories import Factory
from tests.support.rounds import World, build_world


def _day_id(w: World) -> int:
    with school_session(w.school_id) as db:
        day = db.exec(select(RoundDay).where(RoundDay.round_id == w.round_id)).one()
    assert day.id is not None
    return day.id


def test_admin_sees_teachers_days_slots_pupils_and_progress(factory: Factory) -> None:
    w = build_world(factory)
    first = w.slots(w.teacher_a)[0]
    with school_session(w.school_id) as db:
        book(db, actor=w.admin, slot_id=first.id, pupil_id=w.kid_a.id)
        view = round_admin(db, actor=w.admin, round_id=w.round_id)
    assert [t.name for t in view.teachers] == sorted([w.teacher_a.display_name, w.teacher_b.display_name])
    teacher_a = next(t for t in view.teachers if t.teacher_id == w.teacher_a.id)
    assert teacher_a.room == "Lokaal 5"
    slots = teacher_a.days[0].slots
    assert [hhmm(s.starts_at) for s in slots] == ["19:00", "19:10", "19:20", "19:30", "19:40", "19:50"]
    assert (slots[0].status, slots[0].pupil) == ("booked", "Noah " + w.kid_a.last_name)
    assert slots[1].can_double and not slots[0].can_double and not slots[-1].can_double
    labels = [p.label for p in view.pupils]
    julia = [p for p in view.pupils if p.pupil_id == w.split_kid.id]
    assert len(julia) == 2 and {p.household_id for p in julia} == {w.mum_household.id, w.dad_household.id}
    assert any(label.startswith("Noah") and "(Groep 5)" in label for label in labels)
    assert {(p.class_name, p.booked) for p in view.progress} == {("Groep 5", 1), ("Groep 7", 0)}


def test_other_schools_round_is_not_found_and_only_admins_see_it(factory: Factory) -> None:
    w = build_world(factory)
    other = build_world(factory)
    with school_session(w.school_id) as db, pytest.raises(RoundNotFound):
        round_admin(db, actor=w.admin, round_id=other.round_id)
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        round_admin(db, actor=w.teacher_actor, round_id=w.round_id)


def test_removing_a_break_brings_the_slots_back_and_keeps_bookings(factory: Factory) -> None:
    w = build_world(factory)
    day_id = _day_id(w)
    assert w.teacher_a.id is not None
    with school_session(w.school_id) as db:
        add_break(
            db,
            actor=w.admin,
            round_id=w.round_id,
            teacher_id=w.teacher_a.id,
            day_id=day_id,
            starts_at=time(19, 20),
            ends_at=time(19, 40),
        )
    assert [hhmm(s.starts_at) for s in w.slots(w.teacher_a)] == ["19:00", "19:10", "19:40", "19:50"]
    with school_session(w.school_id) as db:
        book(db, actor=w.admin, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
        view = round_admin(db, actor=w.admin, round_id=w.round_id)
        pause = next(t for t in view.teachers if t.teacher_id == w.teacher_a.id).days[0].breaks[0]
        assert (pause.starts_at, pause.ends_at) == (time(19, 20), time(19, 40))
        remove_break(db, actor=w.admin, round_id=w.round_id, break_id=pause.break_id)
        after = round_admin(db, actor=w.admin, round_id=w.round_id)
    slots = next(t for t in after.teachers if t.teacher_id == w.teacher_a.id).days[0].slots
    assert [hhmm(s.starts_at) for s in slots] == ["19:00", "19:10", "19:20", "19:30", "19:40", "19:50"]
    assert slots[0].status == "booked"


def test_a_break_of_another_round_or_school_is_refused(factory: Factory) -> None:
    w = build_world(factory)
    other = build_world(factory)
    assert other.teacher_a.id is not None
    with school_session(other.school_id) as db:
        add_break(
            db,
            actor=other.admin,
            round_id=other.round_id,
            teacher_id=other.teacher_a.id,
            day_id=_day_id(other),
            starts_at=time(19, 0),
            ends_at=time(19, 10),
        )
        foreign = round_admin(db, actor=other.admin, round_id=other.round_id)
    break_id = (
        next(t for t in foreign.teachers if t.teacher_id == other.teacher_a.id).days[0].breaks[0].break_id
    )
    for bad in (break_id, "1", None, -1):
        with school_session(w.school_id) as db, pytest.raises(RoundInvalid) as err:
            remove_break(db, actor=w.admin, round_id=w.round_id, break_id=bad)
        assert err.value.message_key == "rounds.error.break_not_found"


def test_school_books_and_moves_outside_the_window_and_the_family_is_told(factory: Factory) -> None:
    w = build_world(factory, open_now=False)
    assert w.teacher_a.id is not None
    with school_session(w.school_id) as db:
        set_teacher_room(db, actor=w.admin, round_id=w.round_id, teacher_id=w.teacher_a.id, room=" Aula  2 ")
        booking = book(
            db,
            actor=w.admin,
            slot_id=w.slots(w.teacher_a)[2].id,
            pupil_id=w.split_kid.id,
            household_id=w.dad_household.id,
        )
        rebook(db, actor=w.admin, booking_id=booking, slot_id=w.slots(w.teacher_a)[3].id)
        view = round_admin(db, actor=w.admin, round_id=w.round_id)
    with unscoped() as db:
        mails = db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    # only the dad's household hears of it (a meeting per household); first booked, then moved
    assert len(mails) == 2 and {m.template for m in mails} == {"booking_confirmed"}
    assert "voor u ingepland" in mails[0].text_body and "is verplaatst" in mails[1].text_body
    assert "Aula 2" in mails[1].text_body
    teacher_a = next(t for t in view.teachers if t.teacher_id == w.teacher_a.id)
    assert [s.status for s in teacher_a.days[0].slots][2:4] == ["free", "booked"]
