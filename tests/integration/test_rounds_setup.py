"""Setting up a round: validation names the field; slots follow days, hours, breaks; adjustments."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.models import RoundDay
from ogp_app.models.base import utcnow
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.clock import to_local
from ogp_app.services.rounds.errors import RoundInvalid, RoundNotFound
from ogp_app.services.rounds.setup import DayInput, RoundInput, add_break, create_round, set_availability
from ogp_app.services.rounds.slots import add_slot, make_double, set_blocked
from tests.support.factories import Factory
from tests.support.rounds import DAY, build_world


def _input(**changes: object) -> RoundInput:
    now = utcnow()
    values: dict[str, object] = {
        "name": "Ronde",
        "class_ids": [],
        "days": [DayInput(DAY, time(19, 0), time(20, 0))],
        "booking_opens_at": now,
        "booking_closes_at": now + timedelta(days=2),
    }
    values.update(changes)
    return RoundInput(**values)  # type: ignore[arg-type]


def test_generated_slots_follow_the_evening_in_amsterdam_time(factory: Factory) -> None:
    w = build_world(factory)
    slots = w.slots(w.teacher_a)
    assert [to_local(s.starts_at).strftime("%H:%M") for s in slots][:3] == ["19:00", "19:10", "19:20"]
    assert len(slots) == 6 and all(s.ends_at - s.starts_at == timedelta(minutes=10) for s in slots)


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"name": " "}, "rounds.error.name"),
        ({"slot_minutes": 4}, "rounds.error.slot_minutes"),
        ({"slot_minutes": 61}, "rounds.error.slot_minutes"),
        ({"days": []}, "rounds.error.days"),
        ({"days": [DayInput(DAY, time(20, 0), time(19, 0))]}, "rounds.error.day_times"),
        ({"booking_closes_at": utcnow() - timedelta(days=1)}, "rounds.error.window"),
        ({"cancel_until": utcnow() + timedelta(days=9)}, "rounds.error.cancel_until"),
        ({"meeting_kind": "other"}, "rounds.error.meeting_kind"),
    ],
)
def test_bad_setup_is_refused_with_the_field_named(factory: Factory, changes: dict, key: str) -> None:
    w = build_world(factory)
    assert w.class_a.id is not None
    with school_session(w.school_id) as db, pytest.raises(RoundInvalid) as err:
        create_round(db, actor=w.admin, data=_input(class_ids=[w.class_a.id], **changes))
    assert err.value.message_key == key


def test_classes_of_another_school_are_refused(factory: Factory) -> None:
    w = build_world(factory)
    other = build_world(factory)
    assert other.class_a.id is not None
    with school_session(w.school_id) as db, pytest.raises(RoundInvalid):
        create_round(db, actor=w.admin, data=_input(class_ids=[other.class_a.id]))


def test_only_admins_create_rounds_and_other_schools_rounds_are_not_found(factory: Factory) -> None:
    w = build_world(factory)
    other = build_world(factory)
    assert w.class_a.id is not None
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        create_round(db, actor=w.teacher_actor, data=_input(class_ids=[w.class_a.id]))
    with school_session(w.school_id) as db, pytest.raises(RoundNotFound):
        set_availability(db, actor=w.admin, round_id=other.round_id, teacher_id=1, day_id=1, absent=True)


def test_absence_and_breaks_remove_free_slots(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        day = db.exec(select(RoundDay).where(RoundDay.round_id == w.round_id)).one()
        assert day.id is not None and w.teacher_a.id is not None and w.teacher_b.id is not None
        add_break(
            db,
            actor=w.admin,
            round_id=w.round_id,
            teacher_id=w.teacher_a.id,
            day_id=day.id,
            starts_at=time(19, 20),
            ends_at=time(19, 40),
        )
        set_availability(
            db, actor=w.admin, round_id=w.round_id, teacher_id=w.teacher_b.id, day_id=day.id, absent=True
        )
    assert [to_local(s.starts_at).strftime("%H:%M") for s in w.slots(w.teacher_a)] == [
        "19:00",
        "19:10",
        "19:40",
        "19:50",
    ]
    assert w.slots(w.teacher_b) == []


def test_block_double_and_extra_slot(factory: Factory) -> None:
    w = build_world(factory)
    first, second = w.slots(w.teacher_a)[:2]
    with school_session(w.school_id) as db:
        day = db.exec(select(RoundDay).where(RoundDay.round_id == w.round_id)).one()
        assert first.id and day.id and w.teacher_a.id
        make_double(db, actor=w.admin, slot_id=first.id)
        set_blocked(db, actor=w.teacher_actor, slot_id=w.slots(w.teacher_a)[-1].id or 0, blocked=True)
        extra = add_slot(
            db,
            actor=w.admin,
            round_id=w.round_id,
            teacher_id=w.teacher_a.id,
            day_id=day.id,
            starts_at=time(18, 50),
        )
        with pytest.raises(RoundInvalid):  # overlaps the 19:00 slot
            add_slot(
                db,
                actor=w.admin,
                round_id=w.round_id,
                teacher_id=w.teacher_a.id,
                day_id=day.id,
                starts_at=time(18, 55),
            )
    by_id = {s.id: s for s in w.slots(w.teacher_a)}
    assert by_id[first.id].ends_at - by_id[first.id].starts_at == timedelta(minutes=20)
    assert by_id[second.id].status == "merged"
    assert to_local(by_id[extra].starts_at).strftime("%H:%M") == "18:50"
    assert [s.status for s in w.slots(w.teacher_a)][-1] == "blocked"


def test_teacher_cannot_block_another_teachers_slot(factory: Factory) -> None:
    w = build_world(factory)
    slot = w.slots(w.teacher_b)[0]
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        set_blocked(db, actor=w.teacher_actor, slot_id=slot.id or 0, blocked=True)
