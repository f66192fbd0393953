"""What a cancelled or moved booking does to its online conversation.

Cancelled: the room and the households' choices go (nobody is to meet there any more). Moved: the same
conversation at another time, so the room (the link already mailed) and the choices move along.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import Session, col

from ogp_app.models import ConversationJoin, ConversationRoom


def forget(db: Session, *, booking_id: int) -> None:
    """Within the caller's transaction."""
    db.execute(delete(ConversationRoom).where(col(ConversationRoom.booking_id) == booking_id))
    db.execute(delete(ConversationJoin).where(col(ConversationJoin.booking_id) == booking_id))


def carry_over(db: Session, *, from_booking_id: int, to_booking_id: int) -> None:
    """Within the caller's transaction, after the new booking is inserted."""
    for model in (ConversationRoom, ConversationJoin):
        db.execute(
            update(model).where(col(model.booking_id) == from_booking_id).values(booking_id=to_booking_id)
        )
