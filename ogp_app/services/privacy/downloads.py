"""One-time export downloads: a page handler asks for a ticket, the GET route consumes it.

The ticket is bound to the person who asked (the route also requires their session), lives five
minutes and is deleted when used, so an export is served once and a leaked URL is worthless.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from ogp_app.models import ExportDownload, Membership, Role
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import hash_token
from ogp_app.services.errors import DomainError, PermissionDenied

LIFETIME = timedelta(minutes=5)
PATH = "/api/privacy/export"


@dataclass(frozen=True)
class Ticket:
    scope: str  # "user" or "school"
    user_id: int
    school_id: int | None


def _is_admin(db: Session, *, user_id: int, school_id: int) -> bool:
    return (
        db.exec(
            select(Membership.id).where(
                Membership.user_id == user_id,
                Membership.school_id == school_id,
                Membership.role == Role.SCHOOL_ADMIN,
            )
        ).first()
        is not None
    )


def create_ticket(db: Session, *, user_id: int, scope: str, school_id: int | None = None) -> str:
    """A raw token for ``PATH?token=...``; a school export only for an admin of that school. Commits."""
    if scope not in ("user", "school"):
        raise DomainError("bad scope", message_key="error.invalid_input")
    if scope == "school" and (school_id is None or not _is_admin(db, user_id=user_id, school_id=school_id)):
        raise PermissionDenied("school admins only")
    now = utcnow()
    db.exec(delete(ExportDownload).where(col(ExportDownload.user_id) == user_id))  # one pending at a time
    raw = secrets.token_urlsafe(32)
    db.add(
        ExportDownload(
            token_hash=hash_token(raw),
            user_id=user_id,
            scope=scope,
            school_id=school_id if scope == "school" else None,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    db.commit()
    return raw


def consume_ticket(db: Session, *, raw: str, user_id: int) -> Ticket:
    """The ticket behind ``raw`` if it is the caller's and still valid; it is gone afterwards. Commits."""
    if not isinstance(raw, str) or not raw or len(raw) > 128:
        raise PermissionDenied("no ticket")
    row = db.exec(select(ExportDownload).where(ExportDownload.token_hash == hash_token(raw))).first()
    if row is None or row.user_id != user_id:
        raise PermissionDenied("no ticket")
    db.delete(row)
    db.commit()
    if row.expires_at <= utcnow():
        raise PermissionDenied("ticket expired")
    if row.scope == "school" and (
        row.school_id is None or not _is_admin(db, user_id=user_id, school_id=row.school_id)
    ):
        raise PermissionDenied("school admins only")
    return Ticket(scope=row.scope, user_id=row.user_id, school_id=row.school_id)
