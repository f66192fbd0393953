"""Whether a parent's booking page invites them to review a round: only once that round has ended."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from ogp_app.models import ConferenceRound, Slot
from ogp_app.services.rounds import reviews
from ogp_app.services.rounds.actor import Actor

_ENDED = ("closed", "archived")


def round_ended(db: Session, *, rnd: ConferenceRound, now: datetime) -> bool:
    """Closed or archived by the school, or every conversation time of it is over."""
    if rnd.status in _ENDED:
        return True
    last_end = db.exec(select(func.max(col(Slot.ends_at))).where(Slot.round_id == rnd.id)).one()
    if last_end is None:
        return False
    if last_end.tzinfo is None:  # func.max bypasses the column type on SQLite
        last_end = last_end.replace(tzinfo=UTC)
    return last_end <= now


def review_invitation(db: Session, *, actor: Actor, now: datetime) -> str:
    """The name of an ended round this person has not reviewed yet, or "" (``db``: school_session)."""
    chance = reviews.review_chance(db, user_id=actor.user_id, school_id=actor.school_id)
    if chance is None:
        return ""
    rnd = db.get(ConferenceRound, chance.round_id)
    if rnd is None or not round_ended(db, rnd=rnd, now=now):
        return ""
    return rnd.name
