"""Retention (privacy statement: data is kept no longer than needed). ``ogp retention run`` and the app.

Each job deletes what has outlived its purpose and returns a count; running twice removes nothing more.
Other modules add jobs with ``@retention_task("name")`` (visits after 12 months, bookings and notes of
rounds that ended longer ago than the school chose).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, update

from ogp_app.models import (
    AuthSession,
    ExportDownload,
    OidcLoginAttempt,
    OneTimeToken,
    OutboxMessage,
    OutboxStatus,
    RateLimitHit,
    TokenPurpose,
)
from ogp_app.models.base import utcnow
from ogp_app.services.development.dev_mailbox import dev_mailbox_enabled
from ogp_app.services.privacy.erasure import purge_due_schools
from ogp_app.services.privacy.registry import hooks, load

logger = logging.getLogger(__name__)

SENT_MAIL_KEPT = timedelta(days=90)
FAILED_MAIL_KEPT = timedelta(days=90)
USED_TOKEN_KEPT = timedelta(days=1)  # a used link row only shows "already used" for a while
LONGEST_RATE_WINDOW = timedelta(hours=1)  # the longest window in services.auth.rate_limit
# Templates whose body carries a live link (sign-in, reset, invitation, ...): dropped once sent.
LINK_TEMPLATES = (
    "verify_email",
    "password_reset",
    "invitation",
    "sign_in_link",
    "email_change",
    "account_deletion_code",
    "school_deletion_code",
)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def expired_sessions(db: Session, now: datetime) -> int:
    return _count(db.exec(delete(AuthSession).where(col(AuthSession.expires_at) <= now)))


def expired_tokens(db: Session, now: datetime) -> int:
    """E-mail links past use. Invitations stay: they are the school's record of who was invited and
    whether they accepted (school settings shows it); they go with the person or the school."""
    old_used = col(OneTimeToken.used_at) <= now - USED_TOKEN_KEPT
    done = (col(OneTimeToken.expires_at) <= now) | old_used
    not_invitation = col(OneTimeToken.purpose) != TokenPurpose.INVITATION.value
    return _count(db.exec(delete(OneTimeToken).where(done, not_invitation)))


def expired_downloads(db: Session, now: datetime) -> int:
    return _count(db.exec(delete(ExportDownload).where(col(ExportDownload.expires_at) <= now)))


def expired_oidc_attempts(db: Session, now: datetime) -> int:
    return _count(db.exec(delete(OidcLoginAttempt).where(col(OidcLoginAttempt.expires_at) <= now)))


def old_rate_limit_hits(db: Session, now: datetime) -> int:
    return _count(
        db.exec(delete(RateLimitHit).where(col(RateLimitHit.created_at) <= now - LONGEST_RATE_WINDOW))
    )


def old_mail(db: Session, now: datetime) -> int:
    sent = (col(OutboxMessage.status) == OutboxStatus.SENT) & (
        col(OutboxMessage.sent_at) <= now - SENT_MAIL_KEPT
    )
    failed = (col(OutboxMessage.status) == OutboxStatus.FAILED) & (
        col(OutboxMessage.created_at) <= now - FAILED_MAIL_KEPT
    )
    return _count(db.exec(delete(OutboxMessage).where(sent | failed)))


def link_bodies(db: Session, now: datetime) -> int:
    """Sent mail keeps subject and date, not the link: a copy of the database then opens no account.

    Not in a development install without SMTP, whose /dev/mailbox shows the bodies to the developer.
    """
    if dev_mailbox_enabled():
        return 0
    query = (
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.SENT,
            col(OutboxMessage.template).in_(LINK_TEMPLATES),
            col(OutboxMessage.text_body) != "",
        )
        .values(text_body="", html_body="", attachments=[])
    )
    return _count(db.exec(query))


def due_school_purges(db: Session, now: datetime) -> int:
    return len(purge_due_schools(db, now=now))


CORE_JOBS: dict[str, Callable[[Session, datetime], int]] = {
    "expired_sessions": expired_sessions,
    "expired_tokens": expired_tokens,
    "expired_downloads": expired_downloads,
    "expired_oidc_attempts": expired_oidc_attempts,
    "old_rate_limit_hits": old_rate_limit_hits,
    "old_mail": old_mail,
    "link_bodies": link_bodies,
    "schools_purged": due_school_purges,
}


def run(
    db_factory: Callable[[], AbstractContextManager[Session]], *, now: datetime | None = None
) -> dict[str, int]:
    """Run every job, each in its own transaction (``db_factory`` gives unscoped sessions)."""
    now = now or utcnow()
    load()  # the domain modules register their retention jobs on import
    counts: dict[str, int] = {}
    for name, job in {**CORE_JOBS, **hooks.retention}.items():
        with db_factory() as db:
            counts[name] = job(db, now)
            db.commit()
    return counts
