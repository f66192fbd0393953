"""A person deletes their own account (or, as its admin, the school), after proving it is them once more.

With a password: the password (wrong guesses count towards the log-in lock-out). Without one: a
six-digit code we e-mail them, valid ten minutes, five tries. The challenge lives in the caller's
server-side state (hash only), never in the browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from ogp_app.core.db import committing
from ogp_app.models import User
from ogp_app.models.base import utcnow
from ogp_app.services.accounts._common import (
    AccountLocked,
    limit_mail,
)
from ogp_app.services.accounts.login import account_key
from ogp_app.services.auth import rate_limit
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.auth.passwords import verify_password
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.errors import DomainError
from ogp_app.services.mail import outbox
from ogp_app.services.privacy.erasure import ErasureReport, erase_user, request_school_deletion

CODE_LIFETIME = timedelta(minutes=10)
CODE_TRIES = 5


class ProofWrong(DomainError):
    message_key = "privacy.delete.proof_wrong"


@dataclass(frozen=True)
class Challenge:
    code_hash: str
    expires_at: datetime
    tries_left: int = CODE_TRIES


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise DomainError("no such account", message_key="privacy.error.no_account")
    return user


def send_code(
    db: Session, *, user_id: int, ip: str | None = None, school_name: str | None = None
) -> Challenge:
    """E-mail a fresh code (for people without a password); rate limited like every mail link.

    With ``school_name`` the mail says the code deletes that school, not the account.
    """
    user = _user(db, user_id)
    code = f"{secrets.randbelow(10**6):06d}"
    context = {"code": code}
    if school_name is not None:
        context["school"] = school_name
    with committing(db):
        limit_mail(db, scope="delete_account", email=user.email, ip=ip)
        template = "account_deletion_code" if school_name is None else "school_deletion_code"
        outbox.enqueue_for(db, user, template=template, context=context)
    return Challenge(code_hash=_hash(code), expires_at=utcnow() + CODE_LIFETIME)


def _check_password(db: Session, user: User, password: str) -> None:
    assert user.password_hash is not None
    stored = user.password_hash
    try:
        right = rate_limit.counted_attempt(
            db,
            key=account_key(user.email),
            limit=rate_limit.LOGIN_PER_ACCOUNT,
            attempt=lambda: verify_password(password, stored).ok,
        )
    except RateLimited as locked:
        raise AccountLocked(locked.retry_after_seconds) from None
    if not right:
        raise ProofWrong()


def check_code(challenge: Challenge | None, code: str) -> Challenge | None:
    """None when ``code`` answers the challenge; else the challenge with one try fewer (raise when spent)."""
    if challenge is None or challenge.expires_at <= utcnow() or challenge.tries_left <= 0:
        raise DomainError("no valid code", message_key="privacy.delete.code_expired")
    if hmac.compare_digest(challenge.code_hash, _hash(code)):
        return None
    return Challenge(challenge.code_hash, challenge.expires_at, challenge.tries_left - 1)


def prove_it_is_them(db: Session, *, user_id: int, password: str = "", code_ok: bool = False) -> User:
    """The proof account and school deletion share: the password again (wrong guesses count towards
    the log-in lock-out), or for an account without one a code answered through :func:`check_code`."""
    user = _user(db, user_id)
    if user.password_hash is not None:
        _check_password(db, user, password)
    elif not code_ok:
        raise ProofWrong()
    return user


def delete_own_account(
    db: Session, *, user_id: int, password: str = "", code_ok: bool = False
) -> ErasureReport:
    """Delete the caller's account: password checked here, or ``code_ok`` after :func:`check_code`."""
    prove_it_is_them(db, user_id=user_id, password=password, code_ok=code_ok)
    return erase_user(db, user_id=user_id)


def delete_school(
    db: Session, *, user_id: int, school_id: int, password: str = "", code_ok: bool = False
) -> datetime:
    """The school's admin asks to delete the school, with the same proof as for an account.

    Frozen now, purged after the grace period (undoable until then); returns the purge date.
    ``db``: unscoped (the School row is the tenant itself).
    """
    require_school_admin(db, school_id=school_id, user_id=user_id)
    prove_it_is_them(db, user_id=user_id, password=password, code_ok=code_ok)
    return request_school_deletion(db, school_id=school_id, actor_user_id=user_id)
