"""A parent booking their own child: the booking rush's path.

The same rules as :func:`booking.book` (which calls this first), in Core statements built once from
``statements``. Usually one statement: an INSERT ... SELECT that writes the booking only when the slot is
free, the window open, the pupil this parent's child meeting this teacher, and no other meeting of the
family is in the way (none overlaps, and none at all when the round sets a gap: a cheap test, wider than
the family rules). The partial unique indexes decide every race (insert and catch). When it writes
nothing, one row of facts says which rule refused, or the family rules (``statements.family_rules``, the
grid's too) decide and the booking is inserted after all. A pupil who is not theirs goes back to the
general path, which decides and explains. The confirmation mail is rendered after the commit by the mail
worker (``confirmations.render_pending_confirmations``), so the transaction holds its index entry briefly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session

from ogp_app.core.db import SCHOOL_ID, execute_in_school, in_school, school_statement, write_alone_in_school
from ogp_app.models.base import UTCDateTime
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking_rules import (
    SlotFacts,
    check_slot_times,
    lost_race,
)
from ogp_app.services.rounds.errors import FamilyGapConflict
from ogp_app.services.rounds.statements import (
    booking,
    family_booked,
    family_rules,
    guardian,
    household_id,
    household_key,
    meets_teacher,
    own_child,
    pupil,
    rnd,
    slot,
)

_now: BindParameter[datetime] = bindparam("now")
_slot_of_this_round = (
    select().select_from(slot).join(rnd, rnd.c.id == slot.c.round_id).where(*in_school(slot, rnd))
)
_meets = meets_teacher(slot.c.teacher_id, slot.c.round_id)
_family_booked = family_booked(slot.c.round_id, other_teacher_than=slot.c.teacher_id)
# What keeps a brother's or sister's booking from going in at once: a meeting of the family overlapping
# this slot, or any meeting when the round sets a gap (then the facts and the rooms decide).
_family_in_the_way = family_booked(slot.c.round_id, other_teacher_than=slot.c.teacher_id, near=(slot, rnd))

FACTS = school_statement(
    own_child(
        _slot_of_this_round.add_columns(
            slot.c.round_id,
            slot.c.teacher_id,
            slot.c.starts_at,
            slot.c.ends_at,
            slot.c.status,
            rnd.c.status.label("round_status"),
            rnd.c.booking_opens_at,
            rnd.c.booking_closes_at,
            rnd.c.family_gap_minutes,
            household_key.label("household_key"),
            _meets.label("meets"),
            _family_booked.label("family_booked"),
        ).where(slot.c.id == bindparam("slot_id"))
    )
)

_COLUMNS = [
    "school_id",
    "round_id",
    "slot_id",
    "teacher_id",
    "pupil_id",
    "household_id",
    "household_key",
    "booked_by_user_id",
    "note",
    "created_at",
    "confirmation_pending",
]
_given = (
    bindparam("note", type_=String),
    bindparam("created_at", type_=UTCDateTime),
    bindparam("confirm", type_=Boolean),
)
# A family's booking in one statement: every rule of check_slot_times for a family, in SQL.
BOOK_AT_ONCE = school_statement(
    insert(booking)
    .from_select(
        _COLUMNS,
        own_child(
            _slot_of_this_round.add_columns(
                slot.c.school_id,
                slot.c.round_id,
                slot.c.id,
                slot.c.teacher_id,
                pupil.c.id,
                household_id,
                household_key,
                guardian.c.user_id,
                *_given,
            ).where(
                slot.c.id == bindparam("slot_id"),
                slot.c.status == "free",
                slot.c.starts_at > _now,
                rnd.c.status == "open",
                rnd.c.booking_opens_at <= _now,
                rnd.c.booking_closes_at > _now,
                _meets,
                ~_family_in_the_way,
            )
        ),
    )
    .returning(booking.c.id)
)
INSERT = school_statement(
    insert(booking)
    .values(
        school_id=SCHOOL_ID,
        round_id=bindparam("round_id"),
        slot_id=bindparam("slot_id"),
        teacher_id=bindparam("teacher_id"),
        pupil_id=bindparam("pupil_id"),
        household_id=bindparam("household_id"),
        household_key=bindparam("household_key"),
        booked_by_user_id=bindparam("booked_by"),
        note=bindparam("note"),
        created_at=bindparam("created_at"),
        confirmation_pending=bindparam("confirm"),
    )
    .returning(booking.c.id)
)


def book_own_child(
    db: Session,
    *,
    actor: Actor,
    slot_id: int,
    pupil_id: int,
    note: str | None,
    now: datetime,
    confirm: bool = True,
) -> int | None:
    """Book for the actor's own child and commit; None when the pupil is not the actor's child or the
    slot is not the school's (the general path then decides and explains). ``confirm``: the mail
    worker sends the confirmation."""
    params: dict[str, Any] = {
        "slot_id": slot_id,
        "pupil_id": pupil_id,
        "user_id": actor.user_id,
        "booked_by": actor.user_id,
        "note": note,
        "now": now,
        "created_at": now,
        "confirm": confirm,
    }
    if not actor.is_school_staff:  # staff who are parents too keep their wider window: facts first
        booking_id = _insert(db, BOOK_AT_ONCE, params, alone=True)
        if booking_id is not None:
            return booking_id
    row = execute_in_school(db, FACTS, params).first()
    if row is None:
        db.rollback()
        return None
    facts = SlotFacts(
        row.teacher_id, row.starts_at, row.ends_at, row.status, row.round_status,
        row.booking_opens_at, row.booking_closes_at,
    )  # fmt: skip
    check_slot_times(facts, actor=actor, now=now)
    if not row.meets:
        raise PermissionDenied("this teacher is not one this pupil meets in this round")
    key = int(row.household_key)
    if row.family_booked:
        family = family_rules(
            db,
            round_id=row.round_id,
            pupil_id=pupil_id,
            household_key=key,
            teacher_id=row.teacher_id,
            gap_minutes=row.family_gap_minutes,
        )
        if family.refuses(facts.starts_at, facts.ends_at):
            raise FamilyGapConflict()
    params.update(
        round_id=row.round_id,
        teacher_id=row.teacher_id,
        household_id=None if key == JOINT_HOUSEHOLD_KEY else key,
        household_key=key,
    )
    return _insert(db, INSERT, params)


def _insert(db: Session, statement: Any, params: dict[str, Any], *, alone: bool = False) -> int | None:
    """Insert and catch: a unique index refusing the row is a lost race, told apart by the index.
    Commits when a row was written; None (nothing written, transaction open) otherwise. ``alone``: the
    statement is the whole transaction (see ``write_alone_in_school``)."""
    try:
        if alone:
            booking_id = write_alone_in_school(db, statement, params)
        else:
            booking_id = execute_in_school(db, statement, params).scalar()
    except IntegrityError as exc:
        db.rollback()
        raise lost_race(exc) from exc
    if booking_id is None:
        return None
    db.commit()
    return int(booking_id)
