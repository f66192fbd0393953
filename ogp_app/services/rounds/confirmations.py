"""Confirmation mails of parents' own bookings, rendered after the booking committed (see parent_booking).

The mail worker calls :func:`render_pending_confirmations` before each delivery round, so a confirmation
follows its booking within seconds. Each booking is claimed by an UPDATE that only one worker can win,
in the transaction that queues its mail: several workers never send one twice, a crash loses none.
"""

from __future__ import annotations

from itertools import groupby

from sqlmodel import col, select, update

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking
from ogp_app.services.rounds import notify


def render_pending_confirmations(*, limit: int = 500) -> int:
    """Queue the confirmation of up to ``limit`` bookings still waiting for one; returns how many were
    claimed (a booking cancelled in the meantime is claimed and gets none)."""
    with unscoped() as db:  # a job across schools, like retention: it only lists ids
        pending = db.exec(
            select(Booking.school_id, Booking.id)
            .where(col(Booking.confirmation_pending))
            .order_by(col(Booking.school_id), col(Booking.id))
            .limit(limit)
        ).all()
    rendered = 0
    for school_id, rows in groupby(pending, key=lambda row: row[0]):
        with school_session(school_id) as db:
            for _school, booking_id in rows:
                claimed = db.exec(
                    update(Booking)
                    .where(col(Booking.id) == booking_id, col(Booking.confirmation_pending))
                    .values(confirmation_pending=False)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount != 1:  # another worker took it
                    db.rollback()
                    continue
                booking = db.get(Booking, booking_id)
                if booking is not None and booking.cancelled_at is None:  # cancelled since: no confirmation
                    notify.booked(db, booking=booking, by_school=False)
                db.commit()
                rendered += 1
    return rendered
