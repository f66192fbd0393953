"""What the account flows share: input rules, errors, e-mail links and "this mailbox is proven"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from sqlmodel import Session, col, select

from ogp_app.core.settings import get_settings
from ogp_app.i18n import LANGUAGES, translate
from ogp_app.models import OneTimeToken, School, SchoolStatus, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services.auth import audit, rate_limit
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.errors import DomainError, InvalidInput
from ogp_app.services.mail import outbox

NAME_MAX = 200
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
LINK_PATHS = {
    TokenPurpose.VERIFY_EMAIL: "/verify",
    TokenPurpose.PASSWORD_RESET: "/reset-password",
    TokenPurpose.INVITATION: "/invitation",
    TokenPurpose.SIGN_IN_LINK: "/sign-in",
    TokenPurpose.EMAIL_CHANGE: "/confirm-email",
}


class InvalidEmail(DomainError):
    message_key = "accounts.error.email_invalid"


class InvalidName(DomainError):
    message_key = "accounts.error.name_invalid"


class EmailTaken(DomainError):
    """Says only that the address has an account: not whose, nor at which school."""

    message_key = "accounts.error.email_taken"


class InvalidCredentials(DomainError):
    """One error for an unknown e-mail address and a wrong password."""

    message_key = "accounts.error.invalid_credentials"


class EmailNotVerified(DomainError):
    message_key = "accounts.error.email_not_verified"


class AccountLocked(RateLimited):
    message_key = "accounts.error.locked"


def normalise_email(value: object) -> str:
    """Trimmed and lower-cased; raises InvalidEmail unless it looks like one plain address."""
    email = value.strip().lower() if isinstance(value, str) else ""
    if len(email) > 254 or len(email.split("@", 1)[0]) > 64 or not _EMAIL.fullmatch(email):
        raise InvalidEmail()
    return email


def clean_name(value: object, *, error: type[DomainError] = InvalidName) -> str:
    """One line of 1-200 printable characters, inner runs of spaces collapsed."""
    name = " ".join(value.split()) if isinstance(value, str) else ""
    if not 1 <= len(name) <= NAME_MAX or any(unicodedata.category(c).startswith("C") for c in name):
        raise error()
    return name


def check_language(value: object) -> str:
    if not isinstance(value, str) or value not in LANGUAGES:
        raise InvalidInput("unsupported language")
    return value


def user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == email)).first()


def get_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.id is None:
        raise InvalidInput("no such user")
    return user


def link(purpose: TokenPurpose, raw: str) -> str:
    """The page that takes this token; token_urlsafe needs no escaping in a query string."""
    return f"{get_settings().public_base_url.rstrip('/')}{LINK_PATHS[purpose]}?token={raw}"


def send_link_mail(
    db: Session,
    *,
    user: User,
    purpose: TokenPurpose,
    raw: str,
    to: str | None = None,
    school_id: int | None = None,
    extra: Mapping[str, object] | None = None,
) -> None:
    """Enqueue the e-mail carrying ``raw``'s link, in the recipient's language (the caller commits)."""
    outbox.enqueue_for(
        db,
        user,
        template=purpose.value,  # the mail templates are named after the purposes
        context={
            "link": link(purpose, raw),
            "valid_for": translate(f"accounts.valid_for.{purpose.value}", user.preferred_language),
            **(extra or {}),
        },
        to=to,
        school_id=school_id,
    )


def limit_mail(db: Session, *, scope: str, email: str, ip: str | None) -> None:
    """Throttle e-mails one address or one network can trigger (mail bombing, enumeration by volume)."""
    per_address, per_ip = rate_limit.MAIL_PER_ADDRESS, rate_limit.MAIL_PER_IP
    rate_limit.hit(db, key=rate_limit.limit_key(f"{scope}:email", email), **per_address.kw)
    if ip:
        rate_limit.hit(db, key=rate_limit.limit_key(f"{scope}:ip", ip), **per_ip.kw)


def mark_verified(db: Session, user: User) -> None:
    """The person proved they read this mailbox: verify the address and open the school they signed up."""
    assert user.id is not None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.add(user)
        audit.record(db, event=audit.Event.EMAIL_VERIFIED, subject_user_id=user.id, actor_user_id=user.id)
    # Sign-up put the new school on its verify_email tokens; only that admin's proof activates it.
    school_ids = select(OneTimeToken.school_id).where(
        OneTimeToken.user_id == user.id, OneTimeToken.purpose == TokenPurpose.VERIFY_EMAIL.value
    )
    pending = db.exec(
        select(School).where(col(School.id).in_(school_ids), School.status == SchoolStatus.PENDING.value)
    ).all()
    for school in pending:
        school.status = SchoolStatus.ACTIVE.value
        db.add(school)
