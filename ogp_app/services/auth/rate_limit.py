"""Sliding-window rate limits stored in the database (shared by every worker).

Keys name a scope and a keyed hash of the subject (:func:`limit_key`): an IP address or e-mail
address is never stored as such, only as an HMAC with the installation's secret key (privacy).
Counting is atomic: :func:`hit` holds a lock on its key (PostgreSQL: a transaction-level advisory lock;
SQLite: the database's write lock, taken by its first statement) from before it counts until the
transaction ends, so parallel requests cannot all count below the limit. A flow that guards expensive or
guessable work (a password, a code) counts the attempt *before* the work and commits it, then gives it
back on success (:func:`release`, :func:`clear`): 40 parallel guesses evaluate at most the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from ogp_app.core.metrics import count_refusal, throttle_kind
from ogp_app.core.settings import get_settings
from ogp_app.models import RateLimitHit
from ogp_app.models.base import utcnow
from ogp_app.services.errors import DomainError


class RateLimited(DomainError):
    message_key = "accounts.error.rate_limited"

    def __init__(self, retry_after_seconds: int, *, message_key: str | None = None) -> None:
        super().__init__(f"retry after {retry_after_seconds} s", message_key=message_key)
        self.retry_after_seconds = retry_after_seconds

    @property
    def message_values(self) -> dict[str, int]:
        """Values for the message's placeholders ("try again in {minutes} minutes"), rounded up."""
        return {"minutes": max(1, math.ceil(self.retry_after_seconds / 60))}


@dataclass(frozen=True)
class Limit:
    limit: int
    window: timedelta

    @property
    def kw(self) -> dict[str, Any]:
        """``hit(db, key=k, **LOGIN_PER_IP.kw)``"""
        return {"limit": self.limit, "window": self.window}


# The limits of the account flows, in one place.
LOGIN_PER_ACCOUNT = Limit(10, timedelta(minutes=15))  # failures; then the account is locked
LOGIN_PER_IP = Limit(50, timedelta(minutes=15))  # failures from one address
MAIL_PER_ADDRESS = Limit(3, timedelta(hours=1))  # sign-in links, resets, verification, e-mail change
MAIL_PER_IP = Limit(20, timedelta(hours=1))
SSO_START_PER_IP = Limit(30, timedelta(minutes=15))  # each start writes a row and calls the school's IdP


def limit_key(scope: str, subject: str) -> str:
    """``scope:hmac`` — the subject (IP, e-mail) only as HMAC-SHA256 with the secret key."""
    secret = get_settings().secret_key.get_secret_value().encode()
    digest = hmac.new(secret, subject.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"{scope}:{digest[:64]}"


def _count_and_wait(db: Session, key: str, window: timedelta) -> tuple[int, int]:
    """Hits within the window, and the seconds until the oldest of them leaves it."""
    now = utcnow()
    count, oldest = db.exec(
        select(func.count(), func.min(RateLimitHit.created_at)).where(
            RateLimitHit.key == key, RateLimitHit.created_at > now - window
        )
    ).one()
    if not count or oldest is None:
        return 0, 0
    return int(count), max(1, math.ceil((oldest + window - now).total_seconds()))


def _lock(db: Session, key: str) -> None:
    """Serialise the hits of ``key`` until the transaction ends (see the module's docstring)."""
    if db.get_bind().dialect.name == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        db.exec(select(func.pg_advisory_xact_lock(number)))


def check(db: Session, *, key: str, limit: int, window: timedelta) -> None:
    """Raise RateLimited when ``limit`` hits already fall within ``window``; records nothing."""
    count, wait = _count_and_wait(db, key, window)
    if count >= limit:
        count_refusal("throttle", throttle_kind(key))  # the key's scope (login:ip), never its subject
        raise RateLimited(wait)


def hit(db: Session, *, key: str, limit: int, window: timedelta) -> int:
    """Count one attempt, or raise RateLimited (without counting) when the limit is reached.

    Adds a row and returns its id (for :func:`release`); the caller commits, which lets the next
    hit of the key count. Hits older than the window are dropped first: on SQLite that first write
    takes the lock.
    """
    _lock(db, key)
    now = utcnow()
    db.exec(
        delete(RateLimitHit).where(col(RateLimitHit.key) == key, col(RateLimitHit.created_at) <= now - window)
    )
    check(db, key=key, limit=limit, window=window)
    row = RateLimitHit(key=key, created_at=now)
    db.add(row)
    db.flush()
    assert row.id is not None
    return row.id


def release(db: Session, *, hit_id: int) -> None:
    """Give back one counted attempt that turned out right (the caller commits)."""
    db.exec(delete(RateLimitHit).where(col(RateLimitHit.id) == hit_id))


def counted_attempt(db: Session, *, key: str, limit: Limit, attempt: Callable[[], bool]) -> bool:
    """Count one attempt and commit it before ``attempt`` (checking a password or a code) runs; give it
    back when ``attempt`` returns True (the caller commits). Raises RateLimited when the limit is full."""
    try:
        hit_id = hit(db, key=key, **limit.kw)
        db.commit()
    except RateLimited:
        db.rollback()
        raise
    if not attempt():
        return False
    release(db, hit_id=hit_id)
    return True


def clear(db: Session, *, key: str) -> None:
    """Forget every hit of ``key`` (e.g. after a successful log-in or password reset)."""
    db.exec(delete(RateLimitHit).where(col(RateLimitHit.key) == key))
