"""Conference rounds and bookings: set-up, slots, who may book what, booking itself, views and mail.

Every function takes a school-scoped session (``ogp_app.core.db.school_session``) and an :class:`Actor`
built from the server-side session; nothing here trusts an id without checking it belongs to the actor.
"""

from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.errors import (
    AlreadyBooked,
    BookingNotFound,
    BookingWindowClosed,
    CancelDeadlinePassed,
    FamilyGapConflict,
    RoundNotFound,
    SlotNotFound,
    SlotTaken,
)

__all__ = [
    "Actor",
    "AlreadyBooked",
    "BookingNotFound",
    "BookingWindowClosed",
    "CancelDeadlinePassed",
    "FamilyGapConflict",
    "RoundNotFound",
    "SlotNotFound",
    "SlotTaken",
]
