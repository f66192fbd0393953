"""One-time tokens for e-mail links: issued raw, stored as SHA-256, consumed exactly once.

Single use comes from the database, not from a check in Python: consuming is one conditional
``UPDATE ... WHERE used_at IS NULL AND expires_at > now``; of two concurrent consumers only one
updates the row (PostgreSQL re-checks the condition after the first commits; SQLite serialises writers).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from ogp_app.models import OneTimeToken, TokenPurpose
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import hash_token
from ogp_app.services.errors import DomainError

LIFETIMES = {
    TokenPurpose.INVITATION: timedelta(days=7),
    TokenPurpose.SIGN_IN_LINK: timedelta(minutes=15),
    TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
    TokenPurpose.VERIFY_EMAIL: timedelta(hours=48),
    TokenPurpose.EMAIL_CHANGE: timedelta(hours=24),
}
_MAX_RAW_LENGTH = 128


class InvalidToken(DomainError):
    """Used, expired, unknown or for another purpose: deliberately one error for all."""

    message_key = "accounts.error.invalid_link"


def issue_token(
    db: Session,
    *,
    purpose: TokenPurpose,
    user_id: int,
    school_id: int | None = None,
    role: str | None = None,
    new_email: str | None = None,
    invited_name: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """Add a token row (the caller commits) and return the raw token for the link; it is not kept.

    ``expires_at``: a later end than the purpose's lifetime (an invitation lives until booking closes).
    """
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    ends = now + LIFETIMES[purpose]
    db.add(
        OneTimeToken(
            purpose=purpose.value,
            token_hash=hash_token(raw),
            user_id=user_id,
            school_id=school_id,
            role=role,
            new_email=new_email,
            invited_name=invited_name,
            created_at=now,
            expires_at=max(ends, expires_at) if expires_at else ends,
        )
    )
    db.flush()
    return raw


def _hash_of(raw: object) -> str:
    if not isinstance(raw, str) or not raw or len(raw) > _MAX_RAW_LENGTH:
        raise InvalidToken()
    return hash_token(raw)


def peek_token(db: Session, *, raw: str, purpose: TokenPurpose) -> OneTimeToken:
    """The token if it could be consumed now, without consuming it (GET pages show a button)."""
    now = utcnow()
    row = db.exec(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == _hash_of(raw),
            OneTimeToken.purpose == purpose.value,
            col(OneTimeToken.used_at).is_(None),
            OneTimeToken.expires_at > now,
        )
    ).first()
    if row is None:
        raise InvalidToken()
    return row


def find_token(db: Session, *, raw: object, purpose: TokenPurpose) -> OneTimeToken | None:
    """The row behind a link whatever its state (used, expired): for offering a fresh link."""
    try:
        token_hash = _hash_of(raw)
    except InvalidToken:
        return None
    query = select(OneTimeToken).where(
        OneTimeToken.token_hash == token_hash, OneTimeToken.purpose == purpose.value
    )
    return db.exec(query).first()


def consume_token(db: Session, *, raw: str, purpose: TokenPurpose) -> OneTimeToken:
    """Mark the token used, atomically; raise InvalidToken when another use, expiry or nothing won.

    The caller commits (with whatever the token unlocks) or rolls back, which leaves the token unused.
    """
    token_hash = _hash_of(raw)
    now = utcnow()
    result = db.exec(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.token_hash) == token_hash,
            col(OneTimeToken.purpose) == purpose.value,
            col(OneTimeToken.used_at).is_(None),
            col(OneTimeToken.expires_at) > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise InvalidToken()
    # populate_existing: a row loaded earlier in this session (peek) must show the new used_at.
    query = select(OneTimeToken).where(OneTimeToken.token_hash == token_hash)
    return db.exec(query.execution_options(populate_existing=True)).one()


def expire_tokens(db: Session, *, user_id: int, purpose: TokenPurpose, school_id: int | None = None) -> None:
    """End a person's outstanding links of one purpose (a newer link replaces them).

    Expired rather than marked used, so "used" keeps meaning "someone clicked it" (invitation status).
    """
    query = update(OneTimeToken).where(
        col(OneTimeToken.user_id) == user_id,
        col(OneTimeToken.purpose) == purpose.value,
        col(OneTimeToken.used_at).is_(None),
        col(OneTimeToken.expires_at) > utcnow(),
    )
    if school_id is not None:
        query = query.where(col(OneTimeToken.school_id) == school_id)
    db.exec(query.values(expires_at=utcnow()).execution_options(synchronize_session=False))
