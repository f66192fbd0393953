"""How every log-in starts and how a second factor completes it. The one place that decides.

Every way in (password, e-mail link, invitation, verification link, the school's OIDC provider, the
development demo log-in) calls :func:`start_login_session`: a person with an authenticator gets a
``second_factor`` session, which is no identity (``resolve_session`` ignores it) and only lets them
answer the 2FA prompt; everybody else gets a ``full`` session. Administrators without an
authenticator get a full session too, but ``AppState._require`` lets them do nothing but enrol.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, delete

from ogp_app.models import AuthSession, SessionStage
from ogp_app.services.auth import audit, rate_limit
from ogp_app.services.auth.rate_limit import Limit, RateLimited, limit_key
from ogp_app.services.auth.sessions import (
    PendingLogin,
    create_session,
    hash_token,
    resolve_pending_login,
    revoke_session,
)
from ogp_app.services.auth.two_factor import (
    TwoFactorCodeInvalid,
    confirm_enrolment,
    is_enrolled,
    verify_second_factor,
)
from ogp_app.services.errors import NotAuthenticated

SECOND_FACTOR_PER_USER = Limit(5, timedelta(minutes=15))  # wrong codes; then the prompt waits
_CODE_MAX = 64
RATE_LIMITED_KEY = "auth.error.second_factor_rate_limited"


def _second_factor_key(user_id: int) -> str:
    return limit_key("2fa:user", str(user_id))


def start_login_session(
    db: Session, *, user_id: int, school_id: int | None, old_token: str | None = None
) -> tuple[str, SessionStage]:
    """End the visitor's old session (rotation) and start the right kind of new one.

    Returns the raw token for the cookie and its stage. ``db``: a plain ``session()``.
    """
    if old_token:
        revoke_session(db, old_token)
    stage = SessionStage.SECOND_FACTOR if is_enrolled(db, user_id=user_id) else SessionStage.FULL
    return create_session(db, user_id=user_id, school_id=school_id, stage=stage), stage


def complete_second_factor(db: Session, *, token: str | None, code: object) -> tuple[str, PendingLogin]:
    """Turn the pending session behind ``token`` into a full one (a new token) after a right code.

    An authenticator code or an unused recovery code. Raises NotAuthenticated (no pending session),
    RateLimited (5 wrong codes in 15 minutes for this person) or TwoFactorCodeInvalid (wrong, reused).
    """
    pending = resolve_pending_login(token)
    if pending is None or token is None:
        raise NotAuthenticated()
    key = _second_factor_key(pending.user_id)
    try:  # counted before the code is checked, and committed: parallel guesses see each other
        rate_limit.hit(db, key=key, **SECOND_FACTOR_PER_USER.kw)
        db.commit()
    except RateLimited as limited:
        db.rollback()
        raise RateLimited(limited.retry_after_seconds, message_key=RATE_LIMITED_KEY) from None
    typed = code if isinstance(code, str) and len(code) <= _CODE_MAX else ""
    if not verify_second_factor(db, user_id=pending.user_id, code=typed):
        audit.record(
            db,
            event=audit.Event.LOGIN_FAILED,
            subject_user_id=pending.user_id,
            detail={"reason": "second_factor"},
        )
        db.commit()
        raise TwoFactorCodeInvalid()
    db.exec(delete(AuthSession).where(col(AuthSession.token_hash) == hash_token(token)))
    rate_limit.clear(db, key=key)
    audit.record(
        db, event=audit.Event.LOGIN_SUCCEEDED, subject_user_id=pending.user_id, detail={"method": "totp"}
    )
    new_token = create_session(db, user_id=pending.user_id, school_id=pending.school_id)  # commits
    return new_token, pending


def enable_second_factor(db: Session, *, user_id: int, code: object) -> list[str]:
    """Confirm the authenticator being enrolled; returns the recovery codes (show once). Audited."""
    typed = code if isinstance(code, str) and len(code) <= _CODE_MAX else ""
    codes = confirm_enrolment(db, user_id=user_id, code=typed)
    audit.record(db, event=audit.Event.TWO_FACTOR_ENABLED, subject_user_id=user_id, actor_user_id=user_id)
    db.commit()
    return codes


__all__ = ["RateLimited", "SessionStage", "complete_second_factor", "start_login_session"]
