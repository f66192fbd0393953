"""An account and the roster rows with its e-mail address: a school's guardian and teacher rows point at it.

Accepting an invitation links the rows (``invitations``); inviting one roster person does too
(``roster_admin.roster_accounts``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from ogp_app.models import Guardian, Teacher

_MODELS: tuple[Any, ...] = (Guardian, Teacher)


def link_account(db: Session, *, school_id: int, user_id: int, email: str) -> None:
    """Point the school's guardian and teacher rows with this e-mail at the account (unlinked rows only).

    Runs on the session's connection with an explicit school filter: the invitation-accept path has
    no school scope, and this must be part of its transaction.
    """
    conn = db.connection()
    for model in _MODELS:
        table = model.__table__
        conn.execute(
            update(table)
            .where(table.c.school_id == school_id, table.c.email == email, table.c.user_id.is_(None))
            .values(user_id=user_id)
        )
