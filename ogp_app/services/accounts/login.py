"""Logging in: password, e-mail sign-in link, password reset.

Nothing here tells an attacker whether an address has an account: an unknown address and a wrong
password give the same error after the same argon2 work, are locked out after the same number of
failures, and "send me a link" looks the same either way.
"""

from __future__ import annotations

from sqlmodel import Session

from ogp_app.core.db import committing
from ogp_app.models import TokenPurpose
from ogp_app.services.accounts._common import (
    AccountLocked,
    EmailNotVerified,
    InvalidCredentials,
    InvalidEmail,
    get_user,
    limit_mail,
    mark_verified,
    normalise_email,
    send_link_mail,
    user_by_email,
)
from ogp_app.services.accounts.schools import default_school_id
from ogp_app.services.auth import audit, rate_limit
from ogp_app.services.auth.passwords import check_password_policy, hash_password, verify_password
from ogp_app.services.auth.rate_limit import RateLimited, limit_key
from ogp_app.services.auth.sessions import revoke_all_sessions
from ogp_app.services.auth.tokens import consume_token, expire_tokens, issue_token, peek_token


def account_key(email: str) -> str:
    """Failures count per typed address, existing or not, so a lock-out reveals nothing."""
    return limit_key("login:account", email)


def _count_attempt(db: Session, *, email: str, ip: str | None) -> list[int]:
    """Count the attempt before the password is checked (committed, so parallel guesses see it); the
    ids of its hits, to give back when the password is right. Raise AccountLocked or RateLimited."""
    with committing(db):
        try:
            hits = [rate_limit.hit(db, key=account_key(email), **rate_limit.LOGIN_PER_ACCOUNT.kw)]
        except RateLimited as locked:
            raise AccountLocked(locked.retry_after_seconds) from None
        if ip:
            try:
                hits.append(rate_limit.hit(db, key=limit_key("login:ip", ip), **rate_limit.LOGIN_PER_IP.kw))
            except RateLimited as limited:
                raise RateLimited(
                    limited.retry_after_seconds, message_key="accounts.error.too_many_attempts"
                ) from None
    return hits


def authenticate(db: Session, *, email: str, password: str, ip: str | None) -> int:
    """The user id for a correct address and password, else raise. ``db``: a plain ``session()``.

    Raises InvalidCredentials (unknown address or wrong password, alike), AccountLocked (10 failures
    in 15 minutes for this address), RateLimited (50 failures in 15 minutes from this IP) and
    EmailNotVerified (right password, address not yet confirmed: offer ``resend_verification``).
    Every attempt counts before the password is checked; a right one is given back.
    """
    typed = email.strip().lower() if isinstance(email, str) else ""
    try:
        hits = _count_attempt(db, email=typed, ip=ip)
    except RateLimited as refused:
        with committing(db):
            user = user_by_email(db, typed)
            reason = "locked" if isinstance(refused, AccountLocked) else "rate_limited"
            subject = user.id if user else None
            audit.record(
                db, event=audit.Event.LOGIN_FAILED, subject_user_id=subject, detail={"reason": reason}
            )
        raise
    try:
        user = user_by_email(db, normalise_email(typed))
    except InvalidEmail:
        user = None
    match = verify_password(password, user.password_hash if user else None)  # same work when unknown
    if user is None or user.id is None or not match.ok:
        with committing(db):
            audit.record(
                db,
                event=audit.Event.LOGIN_FAILED,
                subject_user_id=user.id if user else None,
                detail={"reason": "bad_credentials"},
            )
        raise InvalidCredentials()
    with committing(db):
        for hit_id in hits:  # only failures count
            rate_limit.release(db, hit_id=hit_id)
        if user.email_verified_at is None:
            audit.record(
                db, event=audit.Event.LOGIN_FAILED, subject_user_id=user.id, detail={"reason": "unverified"}
            )
        else:
            if match.new_hash:
                user.password_hash = match.new_hash
                db.add(user)
            rate_limit.clear(db, key=account_key(typed))
            audit.record(
                db, event=audit.Event.LOGIN_SUCCEEDED, subject_user_id=user.id, detail={"method": "password"}
            )
    if user.email_verified_at is None:
        raise EmailNotVerified()
    return user.id


def _mail_link(
    db: Session, *, email: str, ip: str | None, scope: str, purpose: TokenPurpose, replace_older: bool
) -> None:
    """Mail a link of ``purpose`` if the address has an account; looks the same when it has not."""
    email = normalise_email(email)
    with committing(db):
        limit_mail(db, scope=scope, email=email, ip=ip)
        user = user_by_email(db, email)
        if user is None or user.id is None:
            return
        if replace_older:
            expire_tokens(db, user_id=user.id, purpose=purpose)
        raw = issue_token(db, purpose=purpose, user_id=user.id)
        send_link_mail(db, user=user, purpose=purpose, raw=raw)


def request_password_reset(db: Session, *, email: str, ip: str | None) -> None:
    """Mail a reset link if the address has an account; looks the same when it has not."""
    _mail_link(db, email=email, ip=ip, scope="reset", purpose=TokenPurpose.PASSWORD_RESET, replace_older=True)


def reset_password(db: Session, *, raw_token: str, new_password: str) -> int:
    """Set a new password from a reset link; every session of the person ends. Returns the user id.

    A password the policy refuses leaves the link usable, so the person can try another one.
    """
    user = get_user(db, peek_token(db, raw=raw_token, purpose=TokenPurpose.PASSWORD_RESET).user_id)
    check_password_policy(new_password, email=user.email, name=user.display_name)
    assert user.id is not None
    with committing(db):
        consume_token(db, raw=raw_token, purpose=TokenPurpose.PASSWORD_RESET)
        user.password_hash = hash_password(new_password)
        db.add(user)
        mark_verified(db, user)  # the link proved the mailbox
        expire_tokens(db, user_id=user.id, purpose=TokenPurpose.PASSWORD_RESET)
        rate_limit.clear(db, key=account_key(user.email))  # lift a lock-out
        audit.record(db, event=audit.Event.PASSWORD_RESET, subject_user_id=user.id, actor_user_id=user.id)
        revoke_all_sessions(db, user_id=user.id)  # commits the lot
    return user.id


def request_sign_in_link(db: Session, *, email: str, ip: str | None) -> None:
    """Mail a 15-minute sign-in link if the address has an account; looks the same when it has not."""
    _mail_link(
        db, email=email, ip=ip, scope="sign_in", purpose=TokenPurpose.SIGN_IN_LINK, replace_older=False
    )


def consume_sign_in_link(db: Session, *, raw_token: str) -> tuple[int, int | None]:
    """Log in with a sign-in link (POST only): the user id and their school when they have just one.

    ``db``: an ``unscoped()`` session (the person's memberships span schools).
    """
    with committing(db):
        token = consume_token(db, raw=raw_token, purpose=TokenPurpose.SIGN_IN_LINK)
        mark_verified(db, get_user(db, token.user_id))
        audit.record(
            db,
            event=audit.Event.LOGIN_SUCCEEDED,
            subject_user_id=token.user_id,
            detail={"method": "sign_in_link"},
        )
        school_id = default_school_id(db, user_id=token.user_id)
    return token.user_id, school_id
