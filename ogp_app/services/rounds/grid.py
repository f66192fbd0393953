"""The free times a family sees for one meeting, grouped by day; the rush's other hot path.

:func:`own_child_grid` serves a parent asking for their own child in one Core statement (two when the
family has booked already; the same building blocks as ``parent_booking``); everyone else goes through
``views.free_slots``. Both offer and mark times by the family rules every booking path refuses by
(``booking_rules.FamilyRules``, built by ``statements.family_rules``), applied here in Python to the free
times: a time the grid shows is one the parent can book (or move to) now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session

from ogp_app.core.db import in_school, rows_in_school, school_statement
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking_rules import FamilyRules, booking_window_open, family_may_pick
from ogp_app.services.rounds.errors import RoundNotFound
from ogp_app.services.rounds.statements import (
    booking,
    family_booked,
    family_rules,
    household_key,
    meets_teacher,
    own_child,
    rnd,
    slot,
)


class SlotOption(NamedTuple):  # a tuple: a grid builds dozens of these per refresh
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    suggested: bool  # right before or after another conversation of this family


@dataclass(frozen=True)
class DayOptions:
    day_id: int
    slots: list[SlotOption] = field(default_factory=list)


def group_by_day(
    free: Iterable[tuple[int, int, datetime, datetime]], family: FamilyRules | None
) -> list[DayOptions]:
    """(slot, day id, start, end) in time order -> per day in time order: the times the family rules
    allow, each marked when it is next to one of the family's conversations."""
    grouped: dict[int, DayOptions] = {}
    for slot_id, day_id, starts, ends in free:
        suggested = False
        if family is not None:
            if family.refuses(starts, ends):
                continue
            suggested = family.next_to(starts, ends)
        if (group := grouped.get(day_id)) is None:
            group = grouped[day_id] = DayOptions(day_id)
        group.slots.append(SlotOption(slot_id, starts, ends, suggested))
    return list(grouped.values())


_teacher: BindParameter[int] = bindparam("teacher_id")
_round: BindParameter[int] = bindparam("round_id")

_FACTS = own_child(
    select(
        rnd.c.status,
        rnd.c.booking_opens_at,
        rnd.c.booking_closes_at,
        rnd.c.cancel_until,
        rnd.c.family_gap_minutes,
        household_key.label("household_key"),
        meets_teacher(_teacher, rnd.c.id).label("meets"),
        family_booked(rnd.c.id).label("family_booked"),
    )
    .select_from(rnd)
    .where(*in_school(rnd), rnd.c.id == _round)
).subquery("facts")
# The teacher's booked slots are read once by their index and subtracted (NOT IN a hashed subquery),
# not looked up per slot: an anti-join's plan depends on booking's statistics, and at the start of a
# rush the planner still believes the school has no bookings.
_TAKEN = (
    select(booking.c.slot_id)
    .where(
        *in_school(booking),
        booking.c.round_id == _round,
        booking.c.teacher_id == _teacher,
        booking.c.cancelled_at.is_(None),
    )
    .scalar_subquery()
)
# Slots only, no join with their day: planned once for all parameters (a generic plan), the join
# scanned round_day once per slot (0.55 ms of PostgreSQL's time per grid, against 0.1 ms without it).
_FREE = (
    select(slot.c.id.label("slot_id"), slot.c.day_id, slot.c.starts_at, slot.c.ends_at)
    .where(
        *in_school(slot),
        slot.c.round_id == _round,
        slot.c.teacher_id == _teacher,
        slot.c.status == "free",
        slot.c.starts_at > bindparam("now"),
        slot.c.id.not_in(_TAKEN),
    )
    .subquery("free")
)
# One round trip: the facts (no row: not the user's own child) with the free times beside them (none
# unless the child meets this teacher).
GRID = school_statement(
    select(_FACTS, _FREE.c.slot_id, _FREE.c.day_id, _FREE.c.starts_at, _FREE.c.ends_at)
    .select_from(_FACTS.outerjoin(_FREE, _FACTS.c.meets))
    .order_by(_FREE.c.starts_at)
)


def own_child_grid(
    db: Session, *, actor: Actor, round_id: int, pupil_id: int, teacher_id: int, now: datetime
) -> list[DayOptions] | None:
    """The free future times of a teacher this child meets, for the child's own parent; None when the
    pupil is not the actor's child in this school (``views.free_slots`` then decides)."""
    params: dict[str, Any] = {
        "round_id": round_id,
        "pupil_id": pupil_id,
        "teacher_id": teacher_id,
        "user_id": actor.user_id,
        "now": now,
    }
    rows = rows_in_school(db, GRID, params)  # the hot path: straight through the driver
    if not rows:
        return None
    row = rows[0]
    if not row.meets:
        raise PermissionDenied("not this child's teacher")
    if row.status != "open" and not actor.is_school_staff:
        raise RoundNotFound()
    free = [(r.slot_id, r.day_id, r.starts_at, r.ends_at) for r in rows if r.slot_id is not None]
    if not free:
        return []
    family = None
    if row.family_booked:
        family = family_rules(
            db,
            round_id=round_id,
            pupil_id=pupil_id,
            household_key=int(row.household_key),
            teacher_id=teacher_id,
            gap_minutes=row.family_gap_minutes,
        )
    if not actor.is_school_staff and not family_may_pick(
        window_open=booking_window_open(row.status, row.booking_opens_at, row.booking_closes_at, now),
        cancel_until=row.cancel_until,
        booked=family.booked if family else None,
        now=now,
    ):
        return []
    return group_by_day(free, family)
