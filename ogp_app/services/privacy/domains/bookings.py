"""Round set-up (days, teachers, breaks, slots) and the bookings made in it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Table, or_, select
from sqlmodel import Session, col

from ogp_app.models import Booking, Slot
from ogp_app.models.base import utcnow
from ogp_app.services.privacy.registry import (
    Erase,
    Person,
    Subject,
    declare,
    no_personal_data,
    on_user_erased,
    retention_task,
    unlinking,
)
from ogp_app.services.rounds import notify
from ogp_app.services.rounds.booking_retention import purge_old_bookings

for _table, _what in (
    ("round_class", "which classes take part in a round"),
    ("round_day", "a round's evenings and their times"),
    ("round_teacher", "which roster teachers take part and in which room"),
    ("teacher_availability", "when a roster teacher is available in a round"),
    ("teacher_break", "a roster teacher's breaks in a round"),
    ("slot", "a teacher's time slots"),
):
    no_personal_data(_table, reason=f"The school's planning ({_what}); the teacher row holds the person.")


def bookings_about(table: Table, person: Person) -> ColumnElement[bool]:
    """Bookings the person made or cancelled, and those of children they are a guardian of."""
    tables = table.metadata.tables
    guardian, link = tables["guardian"], tables["pupil_guardian"]
    children = (
        select(link.c.pupil_id)
        .join(guardian, guardian.c.id == link.c.guardian_id)
        .where(guardian.c.user_id == person.user_id)
        .scalar_subquery()
    )
    return or_(
        table.c.booked_by_user_id == person.user_id,
        table.c.cancelled_by_user_id == person.user_id,
        table.c.pupil_id.in_(children),
    )


declare(
    "booking",
    subject=Subject.PUPIL,
    personal=["pupil_id", "household_id", "booked_by_user_id", "cancelled_by_user_id", "note", "created_at"],
    reason="A conversation about a child: the school's schedule. The account links go when the person "
    "deletes their account; their active bookings are cancelled first and the teacher is told.",
    erase=Erase.ANONYMISE,
    user_rows=bookings_about,
    # The school keeps its schedule (who met whom); who clicked the button is no longer known.
    eraser=unlinking("booked_by_user_id", "cancelled_by_user_id"),
)


@on_user_erased
def _cancel_upcoming_bookings(db: Session, person: Person) -> None:
    """Conversations the person booked that are still ahead are cancelled, and each teacher is told.

    Runs in an unscoped session before the rows are unlinked; the other guardian of a joint meeting
    books again if they still want to talk.
    """
    now = utcnow()
    upcoming = db.scalars(
        select(Booking)
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .where(
            col(Booking.booked_by_user_id) == person.user_id,
            col(Booking.cancelled_at).is_(None),
            col(Slot.starts_at) > now,
        )
    ).all()
    for booking in upcoming:
        booking.cancelled_at = now
        booking.confirmation_pending = False  # no confirmation to an erased parent
        db.add(booking)
        db.flush()
        notify.teacher_of_erased_booking(db, booking=booking)


@retention_task("bookings of rounds past the school's period")
def _old_bookings(db: Session, now: datetime) -> int:
    """Bookings and their notes go once the round ended longer ago than the school chose (default 12
    months); see services/rounds/booking_retention.py."""
    return purge_old_bookings(db, now)
