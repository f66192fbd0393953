"""The family rules on plain values: what the grid offers and marks is what booking refuses or allows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ogp_app.services.rounds.booking_rules import FamilyMeeting, FamilyRules

EVENING = datetime(2026, 12, 15, 18, 0, tzinfo=UTC)
SISTER = 7  # a sibling of the child being planned (pupil 1)


def _at(minutes: int) -> datetime:
    return EVENING + timedelta(minutes=minutes)


def _meeting(
    teacher_id: int, room: str, start: int, end: int, *, pupil_id: int = SISTER, booking_id: int = 100
) -> FamilyMeeting:
    return FamilyMeeting(booking_id, pupil_id, teacher_id, room, _at(start), _at(end))


def _rules(
    *meetings: FamilyMeeting, room: str = "Lokaal 5", gap: int = 0, moving: int | None = None
) -> FamilyRules:
    return FamilyRules.of(meetings, pupil_id=1, teacher_id=1, room=room, gap_minutes=gap, moving=moving)


def test_a_time_overlapping_a_family_conversation_is_refused_in_any_room() -> None:
    for room in ("Lokaal 5", "Lokaal 7"):
        rules = _rules(_meeting(2, room, 10, 20))
        assert rules.refuses(_at(5), _at(15)) and rules.refuses(_at(10), _at(20))
        assert not rules.refuses(_at(20), _at(30))


def test_the_gap_applies_between_rooms_and_not_next_door_in_the_same_room() -> None:
    other_room = _rules(_meeting(2, "Lokaal 7", 10, 20), gap=10)
    assert other_room.refuses(_at(20), _at(30)) and other_room.refuses(_at(25), _at(29))
    assert not other_room.refuses(_at(30), _at(40))  # ten minutes to walk
    assert other_room.refuses(_at(-5), _at(5)) and not other_room.refuses(_at(-10), _at(0))
    same_room = _rules(_meeting(2, "Lokaal 5", 10, 20), gap=10)
    assert not same_room.refuses(_at(20), _at(30)) and same_room.next_to(_at(20), _at(30))


def test_back_to_back_means_touching_a_family_conversation() -> None:
    rules = _rules(_meeting(2, "Lokaal 7", 10, 20))
    assert rules.next_to(_at(0), _at(10)) and rules.next_to(_at(20), _at(30))
    assert not rules.next_to(_at(25), _at(35))


def test_the_conversation_being_planned_or_moved_does_not_count() -> None:
    own = _meeting(1, "Lokaal 5", 10, 20, pupil_id=1, booking_id=5)  # this child with this teacher
    rules = _rules(own)
    assert rules.meetings == () and not rules.next_to(_at(20), _at(30))
    moved_by_the_school = _meeting(3, "Lokaal 9", 10, 20, pupil_id=1, booking_id=6)
    assert not _rules(moved_by_the_school, moving=6).refuses(_at(10), _at(20))
    assert _rules(moved_by_the_school).refuses(_at(10), _at(20))


def test_a_sibling_with_the_same_teacher_is_next_door_not_in_the_way() -> None:
    rules = _rules(_meeting(1, "Lokaal 5", 10, 20), gap=10)
    assert not rules.refuses(_at(20), _at(30)) and rules.next_to(_at(20), _at(30))
