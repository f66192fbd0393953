"""A signed-in person manages their own account: password, name, e-mail address, language.

``user_id`` always comes from the server-side session, never from the client.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from ogp_app.core.db import committing
from ogp_app.models import AuthSession, TokenPurpose
from ogp_app.models.base import utcnow
from ogp_app.services.accounts._common import (
    AccountLocked,
    EmailTaken,
    check_language,
    clean_name,
    get_user,
    normalise_email,
    send_link_mail,
    user_by_email,
)
from ogp_app.services.accounts.login import account_key
from ogp_app.services.auth import audit, rate_limit
from ogp_app.services.auth.passwords import check_password_policy, hash_password, verify_password
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.sessions import hash_token
from ogp_app.services.auth.tokens import consume_token, expire_tokens, issue_token
from ogp_app.services.errors import DomainError


class CurrentPasswordWrong(DomainError):
    message_key = "accounts.error.current_password_wrong"


class SameEmail(DomainError):
    message_key = "accounts.error.same_email"


def set_password(
    db: Session,
    *,
    user_id: int,
    current_password: str | None,
    new_password: str,
    keep_session_token: str | None = None,
) -> None:
    """Set or change the password. The current one is required when there is one (a stolen session
    alone cannot take the account); wrong guesses count towards the log-in lock-out. Every other
    session ends; ``keep_session_token`` (the caller's own) stays signed in.
    """
    user = get_user(db, user_id)
    if user.password_hash is not None:
        current_hash = user.password_hash
        try:
            right = rate_limit.counted_attempt(
                db,
                key=account_key(user.email),
                limit=rate_limit.LOGIN_PER_ACCOUNT,
                attempt=lambda: verify_password(current_password or "", current_hash).ok,
            )
        except RateLimited as locked:
            raise AccountLocked(locked.retry_after_seconds) from None
        if not right:
            raise CurrentPasswordWrong()
    check_password_policy(new_password, email=user.email, name=user.display_name)
    with committing(db):
        user.password_hash = hash_password(new_password)
        db.add(user)
        others = delete(AuthSession).where(col(AuthSession.user_id) == user_id)
        if keep_session_token:
            others = others.where(col(AuthSession.token_hash) != hash_token(keep_session_token))
        db.exec(others)
        audit.record(db, event=audit.Event.PASSWORD_CHANGED, subject_user_id=user_id, actor_user_id=user_id)


def change_display_name(db: Session, *, user_id: int, name: str) -> None:
    with committing(db):
        user = get_user(db, user_id)
        user.display_name = clean_name(name)
        db.add(user)


def set_language(db: Session, *, user_id: int, language: str) -> None:
    """The language of the person's pages and e-mails."""
    with committing(db):
        user = get_user(db, user_id)
        user.preferred_language = check_language(language)
        db.add(user)


def request_email_change(db: Session, *, user_id: int, new_email: str) -> None:
    """Mail a confirmation link to the NEW address; nothing changes until it is used."""
    new_email = normalise_email(new_email)
    user = get_user(db, user_id)
    if new_email == user.email:
        raise SameEmail()
    with committing(db):
        limit = rate_limit.MAIL_PER_ADDRESS  # one person cannot use us to mail-bomb other addresses
        rate_limit.hit(db, key=rate_limit.limit_key("email_change:user", str(user_id)), **limit.kw)
        if user_by_email(db, new_email) is not None:
            raise EmailTaken()
        expire_tokens(db, user_id=user_id, purpose=TokenPurpose.EMAIL_CHANGE)
        raw = issue_token(db, purpose=TokenPurpose.EMAIL_CHANGE, user_id=user_id, new_email=new_email)
        send_link_mail(db, user=user, purpose=TokenPurpose.EMAIL_CHANGE, raw=raw, to=new_email)


def confirm_email_change(db: Session, *, raw_token: str) -> int:
    """Apply the change from the link (POST only); returns the user id."""
    with committing(db):
        token = consume_token(db, raw=raw_token, purpose=TokenPurpose.EMAIL_CHANGE)
        assert token.new_email is not None
        if user_by_email(db, token.new_email) is not None:  # taken since the request
            raise EmailTaken()
        user = get_user(db, token.user_id)
        user.email = token.new_email
        user.email_verified_at = utcnow()
        db.add(user)
        try:
            db.flush()
        except IntegrityError:  # taken concurrently
            raise EmailTaken() from None
        # Links mailed to the old address must not outlive the change.
        for purpose in (TokenPurpose.PASSWORD_RESET, TokenPurpose.SIGN_IN_LINK):
            expire_tokens(db, user_id=token.user_id, purpose=purpose)
        audit.record(
            db, event=audit.Event.EMAIL_CHANGED, subject_user_id=token.user_id, actor_user_id=token.user_id
        )
    return token.user_id
