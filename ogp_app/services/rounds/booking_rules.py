"""The booking rules on plain values, shared by the general path (ORM rows) and a parent's fast path
(one Core row): the slot's times and window, the family gap, and which unique index refused a row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.errors import BookingWindowClosed, SlotTaken


def booking_window_open(status: str, opens: datetime | None, closes: datetime | None, now: datetime) -> bool:
    return status == "open" and opens is not None and closes is not None and opens <= now < closes


Window = tuple[datetime | None, datetime | None]  # a round's booking opens, closes


def next_opening(windows: Iterable[Window], now: datetime) -> datetime | None:
    """Of rounds' booking windows: the next moment one opens, if any."""
    return min((opens for opens, _closes in windows if opens is not None and opens > now), default=None)


@dataclass(frozen=True)
class SlotFacts:
    """What the booking rules read of a slot and its round (from ORM rows or one Core row)."""

    teacher_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    round_status: str
    opens_at: datetime | None
    closes_at: datetime | None


def check_slot_times(facts: SlotFacts, *, actor: Actor, now: datetime) -> None:
    """Free, not archived; for families also inside the booking window and still ahead."""
    if facts.status != "free":
        raise SlotTaken()
    if not actor.is_school_staff:
        if not booking_window_open(facts.round_status, facts.opens_at, facts.closes_at, now):
            raise BookingWindowClosed()
        if facts.starts_at <= now:
            raise SlotTaken()
    if facts.round_status == "archived":
        raise BookingWindowClosed()


def family_conflict(
    booked: list[tuple[int, datetime, datetime]],
    *,
    slot: SlotFacts,
    gap_minutes: int,
    rooms: dict[int, str | None],
) -> bool:
    """``booked``: the family's other active meetings (teacher, start, end) near this slot. Overlap is a
    conflict; within the gap only when the rooms differ (next door to each other needs no walking time)."""
    gap = timedelta(minutes=gap_minutes)
    for teacher_id, starts, ends in booked:
        if teacher_id == slot.teacher_id or starts >= slot.ends_at + gap or ends <= slot.starts_at - gap:
            continue
        overlaps = starts < slot.ends_at and ends > slot.starts_at
        if overlaps or rooms.get(teacher_id) != rooms.get(slot.teacher_id):
            return True
    return False


def violated_pupil_rule(exc: IntegrityError) -> bool:
    """Which partial unique index refused the row: PostgreSQL names the index, SQLite its columns."""
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name is not None:
        return bool(name == "ux_booking_active_pupil_teacher")
    return "booking.pupil_id" in str(exc.orig)
