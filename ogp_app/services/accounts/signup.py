"""A school signs up: its first admin, the school (pending until the admin's e-mail is verified)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.core.settings import get_settings
from ogp_app.models import Membership, OneTimeToken, Role, School, SchoolStatus, TokenPurpose, User
from ogp_app.services.accounts._common import (
    EmailTaken,
    check_language,
    clean_name,
    get_user,
    limit_mail,
    mark_verified,
    normalise_email,
    send_link_mail,
    user_by_email,
)
from ogp_app.services.auth import audit
from ogp_app.services.auth.passwords import check_password_policy, hash_password
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.tokens import consume_token, expire_tokens, issue_token
from ogp_app.services.billing.subscriptions import start_trial
from ogp_app.services.errors import DomainError
from ogp_app.services.mail import outbox
from ogp_app.services.policies.versions import record_acceptance

_SLUG_MAX = 60
_SLUG_ATTEMPTS = 5


class InvalidSchoolName(DomainError):
    message_key = "accounts.error.school_name_invalid"


@dataclass(frozen=True)
class SignUpResult:
    user_id: int
    school_id: int


@dataclass(frozen=True)
class Verified:
    user_id: int
    school_id: int | None  # the school this address signed up, if any


def slug_base(name: str) -> str:
    """``Basisschool 't Ĳsselmeer`` -> ``basisschool-t-ijsselmeer``: ASCII, lower case, hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_SLUG_MAX].rstrip("-")
    return slug or "school"


def _free_slug(db: Session, base: str) -> str:
    taken = set(db.exec(select(School.slug).where(col(School.slug).startswith(base))).all())
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(slug for slug in candidates if slug not in taken)


def _add_school(db: Session, name: str) -> School:
    """Insert the school under the first free slug; the unique index settles concurrent sign-ups."""
    base = slug_base(name)
    for _ in range(_SLUG_ATTEMPTS):
        school = School(name=name, slug=_free_slug(db, base), status=SchoolStatus.PENDING.value)
        try:
            with db.begin_nested():
                db.add(school)
        except IntegrityError:
            continue  # another sign-up took this slug between our read and our insert
        return school
    raise DomainError("no free slug")


def _tell_owner(db: Session, *, owner: User, ip: str | None) -> None:
    """Mail the address's owner that somebody tried to sign up with it (rate limited, then committed).

    The sign-up page answers "check your e-mail" either way, so the form does not reveal who has an
    account; the owner learns it from their own mailbox.
    """
    with committing(db):
        limit_mail(db, scope="signup", email=owner.email, ip=ip)
        base = get_settings().public_base_url.rstrip("/")
        outbox.enqueue_for(
            db,
            owner,
            template="signup_existing_account",
            context={"login": f"{base}/login", "reset": f"{base}/forgot-password"},
        )


def sign_up_school_admin(
    db: Session,
    *,
    name: str,
    email: str,
    password: str,
    school_name: str,
    language: str,
    ip: str | None = None,
) -> SignUpResult:
    """Create the admin (unverified), the pending school, the membership, and mail the verify link.

    ``db``: an ``unscoped()`` session (a new tenant is made, so no school scope exists yet).
    All or nothing: an existing e-mail address creates no school and no person; its owner gets a mail
    saying so, and ``EmailTaken`` tells the page to answer as it does for a new address. Both paths do
    the same work (one argon2 hash, one mail queued), so the time taken does not tell them apart either;
    once the owner's mails of the hour are used up, the attempt still answers alike (no "too many").
    """
    email = normalise_email(email)
    name = clean_name(name)
    school_name = clean_name(school_name, error=InvalidSchoolName)
    language = check_language(language)
    check_password_policy(password, email=email, name=name)
    password_hash = hash_password(password)  # for an existing address too: the same argon2 work
    owner = user_by_email(db, email)
    if owner is not None:
        with suppress(RateLimited):  # a refusal would tell the stranger the address has an account
            _tell_owner(db, owner=owner, ip=ip)
        raise EmailTaken()
    with committing(db):
        user = User(email=email, display_name=name, preferred_language=language, password_hash=password_hash)
        db.add(user)
        try:
            db.flush()
        except IntegrityError:  # a concurrent sign-up with the same address won
            raise EmailTaken() from None
        assert user.id is not None
        # The sign-up form shows the privacy statement; signing up accepts the version in force.
        record_acceptance(db, user_id=user.id)
        school = _add_school(db, school_name)
        assert school.id is not None
        db.add(Membership(school_id=school.id, user_id=user.id, role=Role.SCHOOL_ADMIN.value))
        start_trial(db, school_id=school.id, now=school.created_at)  # the 30-day trial starts at sign-up
        raw = issue_token(db, purpose=TokenPurpose.VERIFY_EMAIL, user_id=user.id, school_id=school.id)
        send_link_mail(db, user=user, purpose=TokenPurpose.VERIFY_EMAIL, raw=raw, school_id=school.id)
        audit.record(
            db,
            event=audit.Event.SIGNED_UP,
            subject_user_id=user.id,
            actor_user_id=user.id,
            school_id=school.id,
        )
    return SignUpResult(user_id=user.id, school_id=school.id)


def verify_email(db: Session, *, raw_token: str) -> Verified:
    """Consume a verify link: the address is verified and the school it signed up becomes active."""
    with committing(db):
        token = consume_token(db, raw=raw_token, purpose=TokenPurpose.VERIFY_EMAIL)
        mark_verified(db, get_user(db, token.user_id))
    return Verified(user_id=token.user_id, school_id=token.school_id)


def resend_verification(db: Session, *, email: str, ip: str | None) -> None:
    """Send a fresh verify link to an unverified account. Looks the same whether or not one exists."""
    email = normalise_email(email)
    with committing(db):
        limit_mail(db, scope="verify", email=email, ip=ip)
        user = user_by_email(db, email)
        if user is None or user.id is None or user.email_verified_at is not None:
            return
        school_id = db.exec(
            select(OneTimeToken.school_id)
            .where(OneTimeToken.user_id == user.id, OneTimeToken.purpose == TokenPurpose.VERIFY_EMAIL.value)
            .order_by(col(OneTimeToken.id).desc())
        ).first()
        expire_tokens(db, user_id=user.id, purpose=TokenPurpose.VERIFY_EMAIL)
        raw = issue_token(db, purpose=TokenPurpose.VERIFY_EMAIL, user_id=user.id, school_id=school_id)
        send_link_mail(db, user=user, purpose=TokenPurpose.VERIFY_EMAIL, raw=raw, school_id=school_id)
