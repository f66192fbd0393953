"""The booking rules on plain values, shared by the general path (ORM rows), a parent's fast path (one
Core row) and the parent's grid: the slot's times and window, the family rules, and which unique index
refused a row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy.exc import IntegrityError

from ogp_app.core.metrics import BOOKING_RACES_LOST
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.errors import AlreadyBooked, BookingWindowClosed, SlotTaken


def booking_window_open(status: str, opens: datetime | None, closes: datetime | None, now: datetime) -> bool:
    return status == "open" and opens is not None and closes is not None and opens <= now < closes


def family_may_change(cancel_until: datetime | None, starts_at: datetime, now: datetime) -> bool:
    """A family cancels or moves a booking until the round's cancel deadline and the conversation's start."""
    return (cancel_until is None or now < cancel_until) and now < starts_at


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


class FamilyMeeting(NamedTuple):
    """One of a family's active conversations in a round (``statements.family_meetings``)."""

    booking_id: int
    pupil_id: int
    teacher_id: int
    room: str  # the teacher's room in the round; "" when none is set
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class FamilyRules:
    """The family rules for one child's conversation with one teacher: the one definition the grid offers
    and marks times by and every booking path (book, move; fast and general) refuses them by.

    ``meetings``: the family's conversations in the round; the one being planned (this child with this
    teacher: booking it twice is the unique index's to refuse, moving replaces it) and ``moving`` (the
    booking a move replaces) do not count. ``booked``: this child's conversation with this teacher, which
    a time picked now would move."""

    teacher_id: int
    room: str
    gap: timedelta
    meetings: tuple[FamilyMeeting, ...]
    booked: FamilyMeeting | None = None

    @classmethod
    def of(
        cls,
        meetings: Iterable[FamilyMeeting],
        *,
        pupil_id: int,
        teacher_id: int,
        room: str,
        gap_minutes: int,
        moving: int | None = None,
    ) -> FamilyRules:
        others, booked = [], None
        for m in meetings:
            if m.pupil_id == pupil_id and m.teacher_id == teacher_id:
                booked = m
            elif m.booking_id != moving:
                others.append(m)
        return cls(teacher_id, room, timedelta(minutes=gap_minutes), tuple(others), booked)

    def refuses(self, starts: datetime, ends: datetime) -> bool:
        """Overlap with a conversation of the family is refused; so is coming closer than the gap to one
        in another room (walking time). Next door in the same room needs no gap, and one teacher's times
        never overlap (the slots of a teacher do not)."""
        for m in self.meetings:
            if m.teacher_id == self.teacher_id:
                continue
            gap = self.gap if m.room != self.room else timedelta(0)
            if m.starts_at < ends + gap and m.ends_at > starts - gap:
                return True
        return False

    def next_to(self, starts: datetime, ends: datetime) -> bool:
        """Right before or after one of the family's conversations (the grid's "back-to-back")."""
        return any(m.ends_at == starts or m.starts_at == ends for m in self.meetings)


def family_may_pick(
    *, window_open: bool, cancel_until: datetime | None, booked: FamilyMeeting | None, now: datetime
) -> bool:
    """Whether a family may pick a time for a meeting now (the grid offers none otherwise): inside the
    booking window and, when the meeting is booked (``FamilyRules.booked``: a pick moves it), before the
    cancel deadline. Booking and moving refuse by the same two rules (``check_slot_times``,
    ``family_may_change``)."""
    return window_open and (booked is None or family_may_change(cancel_until, booked.starts_at, now))


_SLOT_TAKEN = BOOKING_RACES_LOST.labels("slot_taken")
_PUPIL_BOOKED = BOOKING_RACES_LOST.labels("pupil_booked")


def lost_race(exc: IntegrityError) -> AlreadyBooked | SlotTaken:
    """The error for a booking a unique index refused (another one got there first), counted for the
    operator: ``slot_taken`` is the parent's "just taken"."""
    if violated_pupil_rule(exc):
        _PUPIL_BOOKED.inc()
        return AlreadyBooked()
    _SLOT_TAKEN.inc()
    return SlotTaken()


def violated_pupil_rule(exc: IntegrityError) -> bool:
    """Which partial unique index refused the row: PostgreSQL names the index, SQLite its columns."""
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name is not None:
        return bool(name == "ux_booking_active_pupil_teacher")
    return "booking.pupil_id" in str(exc.orig)
