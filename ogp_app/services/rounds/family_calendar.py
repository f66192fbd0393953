"""A parent's upcoming conversations as one calendar file (/book's "add to my calendar").

The parent's own bookings by /book's rule: a per-household pupil only with this parent's household's
booking (the other household's stays theirs). Unlike /book it keeps a closed round's conversations (booking
has closed, the evening is still to come). Each event has the UID of the booking's mails, so a calendar
that imported the mail's file updates its entry instead of adding one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from ogp_app.models import Booking, ConferenceRound, Slot
from ogp_app.services.rounds import notify
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.ics import calendar_ics
from ogp_app.services.rounds.online.joining import household_of
from ogp_app.services.rounds.people import children_of

FILENAME = {"nl": "oudergesprekken.ics", "en": "parent-teacher-conversations.ics"}


def family_calendar(db: Session, *, actor: Actor, language: str, now: datetime) -> bytes:
    """Every conversation of the actor's children still to come, in rounds past their draft."""
    children = children_of(db, user_id=actor.user_id)
    if not children:
        return calendar_ics([])
    own = or_(
        *(
            and_(col(Booking.pupil_id) == child.pupil_id, col(Booking.household_key) == child.household_key)
            for child in children
        )
    )
    bookings = db.exec(
        select(Booking)
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .join(ConferenceRound, col(ConferenceRound.id) == col(Booking.round_id))
        .where(
            own,
            col(Booking.cancelled_at).is_(None),
            col(Slot.ends_at) > now,
            col(ConferenceRound.status).in_(("open", "closed")),
        )
        .order_by(col(Slot.starts_at), col(Booking.id))
    ).all()
    household = household_of(db, user_id=actor.user_id)
    body = calendar_ics(
        notify.calendar_event(db, booking=b, language=language, household_id=household) for b in bookings
    )
    db.commit()  # a video room made for the file stays the conversation's room
    return body
