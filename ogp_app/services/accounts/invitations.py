"""A school admin invites a parent, teacher or fellow admin; the person accepts through the e-mail link.

One person, one account. Inviting an address that already has an account (at this or another school)
gives that account nothing until its owner accepts the link: the role is added on acceptance. Until then
the inviting school sees only what it typed (the name on the invitation, the address), never the
account's own name, language or other schools, nor whether it existed.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.models import Membership, OneTimeToken, Role, School, SchoolStatus, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services.accounts._common import (
    check_language,
    clean_name,
    get_user,
    mark_verified,
    normalise_email,
    send_link_mail,
    user_by_email,
)
from ogp_app.services.accounts.invitation_mail import invitation_context
from ogp_app.services.accounts.roster_links import link_account
from ogp_app.services.auth import audit, rate_limit
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.auth.rate_limit import MAIL_PER_ADDRESS, MAIL_PER_IP
from ogp_app.services.auth.tokens import consume_token, expire_tokens, find_token, issue_token, peek_token
from ogp_app.services.errors import DomainError, InvalidInput, PermissionDenied
from ogp_app.services.policies.versions import record_acceptance
from ogp_app.services.rounds.family_rounds import family_rounds


class InvitationStatus(StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    EXPIRED = "expired"
    NOT_INVITED = "not_invited"


class InvitationAlreadyAccepted(DomainError):
    message_key = "accounts.error.invitation_accepted"


def _roles_at(db: Session, *, school_id: int, user_id: int) -> list[str]:
    """Needs a session scoped to ``school_id`` (or unscoped): Membership is school-owned."""
    return list(
        db.exec(
            select(Membership.role).where(Membership.school_id == school_id, Membership.user_id == user_id)
        ).all()
    )


def _send_invitation(
    db: Session, *, school: School, user: User, role: str, inviter_user_id: int, name: str | None
) -> None:
    """A new link replaces the person's unaccepted links for this school (the caller commits); it keeps
    ``name``, the name the school typed, which is what the school sees until the person accepts.

    A parent's mail names the children and the rounds to book, and its link lives until the last of
    those rounds closes for booking (at least the usual seven days).
    """
    assert school.id is not None and user.id is not None
    now = utcnow()
    is_parent = role == Role.PARENT.value
    family = family_rounds(db, school_id=school.id, email=user.email, now=now) if is_parent else None
    expire_tokens(db, user_id=user.id, purpose=TokenPurpose.INVITATION, school_id=school.id)
    raw = issue_token(
        db,
        purpose=TokenPurpose.INVITATION,
        user_id=user.id,
        school_id=school.id,
        role=role,
        invited_name=name,
        expires_at=family.last_close if family else None,
    )
    expires_at = peek_token(db, raw=raw, purpose=TokenPurpose.INVITATION).expires_at
    send_link_mail(
        db,
        user=user,
        purpose=TokenPurpose.INVITATION,
        raw=raw,
        school_id=school.id,
        extra={
            "school_name": school.name,
            "role": f"app.role.{role}",
            **invitation_context(family, expires_at=expires_at, language=user.preferred_language, now=now),
        },
    )
    audit.record(
        db,
        event=audit.Event.INVITATION_SENT,
        actor_user_id=inviter_user_id,
        subject_user_id=user.id,
        school_id=school.id,
        detail={"role": role},
    )


def invite_member(
    db: Session, *, school_id: int, inviter_user_id: int, email: str, name: str, role: str, language: str
) -> int:
    """Mail an invitation to ``role`` at the school; returns the person's user id.

    ``db``: ``school_session(school_id)``. A new address gets an account (with ``name`` and
    ``language``) holding the role at once: nobody else's account is involved. An address that already
    had an account keeps its own name and language and gets the role only when its owner accepts.
    """
    email = normalise_email(email)
    name = clean_name(name)
    language = check_language(language)
    if role not in {r.value for r in Role}:
        raise InvalidInput("unknown role")
    school = require_school_admin(db, school_id=school_id, user_id=inviter_user_id)
    with committing(db):
        user = user_by_email(db, email)
        existed = user is not None
        if user is None:
            user = User(email=email, display_name=name, preferred_language=language)
            db.add(user)
            db.flush()
        assert user.id is not None
        if not existed and role not in _roles_at(db, school_id=school_id, user_id=user.id):
            db.add(Membership(school_id=school_id, user_id=user.id, role=role))
            audit.record(
                db,
                event=audit.Event.ROLE_GRANTED,
                actor_user_id=inviter_user_id,
                subject_user_id=user.id,
                school_id=school_id,
                detail={"role": role},
            )
        _send_invitation(db, school=school, user=user, role=role, inviter_user_id=inviter_user_id, name=name)
    return user.id


def _invitations(db: Session, *, school_id: int, user_id: int) -> list[OneTimeToken]:
    return list(
        db.exec(
            select(OneTimeToken)
            .where(
                OneTimeToken.purpose == TokenPurpose.INVITATION.value,
                OneTimeToken.school_id == school_id,
                OneTimeToken.user_id == user_id,
            )
            .order_by(col(OneTimeToken.id).desc())
        ).all()
    )


def invitation_status(db: Session, *, school_id: int, user_id: int) -> InvitationStatus:
    """Whether the person accepted an invitation of this school (or one is still open)."""
    tokens = _invitations(db, school_id=school_id, user_id=user_id)
    if any(t.used_at is not None for t in tokens):
        return InvitationStatus.ACCEPTED
    if any(t.expires_at > utcnow() for t in tokens):
        return InvitationStatus.PENDING
    return InvitationStatus.EXPIRED if tokens else InvitationStatus.NOT_INVITED


def resend_invitation(db: Session, *, school_id: int, inviter_user_id: int, user_id: int) -> None:
    """Mail a fresh link (the old one stops working). ``db``: ``school_session(school_id)``."""
    school = require_school_admin(db, school_id=school_id, user_id=inviter_user_id)
    roles = _roles_at(db, school_id=school_id, user_id=user_id)
    earlier = _invitations(db, school_id=school_id, user_id=user_id)
    if not roles and not earlier:
        raise PermissionDenied("not a member of this school")
    if invitation_status(db, school_id=school_id, user_id=user_id) is InvitationStatus.ACCEPTED:
        raise InvitationAlreadyAccepted()
    pending_role = earlier[0].role if earlier else None
    role = pending_role if pending_role and (pending_role in roles or not roles) else sorted(roles)[0]
    with committing(db):
        _send_invitation(
            db,
            school=school,
            user=get_user(db, user_id),
            role=role,
            inviter_user_id=inviter_user_id,
            name=earlier[0].invited_name if earlier else None,
        )


def _grant_invited_role(db: Session, *, token: OneTimeToken) -> None:
    """The role an invitation offered, if the account does not hold it yet (an address that had an
    account before gets it only now). On the connection with the school's id: this path has no scope."""
    assert token.school_id is not None
    if token.role is None:
        return
    table = Membership.__table__  # type: ignore[attr-defined]
    conn = db.connection()
    held = conn.execute(
        select(table.c.id).where(
            table.c.school_id == token.school_id,
            table.c.user_id == token.user_id,
            table.c.role == token.role,
        )
    ).first()
    if held is None:
        conn.execute(
            insert(table).values(
                school_id=token.school_id, user_id=token.user_id, role=token.role, created_at=utcnow()
            )
        )
        audit.record(
            db,
            event=audit.Event.ROLE_GRANTED,
            actor_user_id=token.user_id,
            subject_user_id=token.user_id,
            school_id=token.school_id,
            detail={"role": token.role},
        )


def invitation_offer(db: Session, *, token: OneTimeToken) -> tuple[str, str]:
    """What the invitation page shows of a usable invitation: the school's name and the role offered
    ("" for either when it names none). ``db``: a plain session (the School row is the tenant itself)."""
    if token.school_id is None:
        return "", ""
    school = db.get(School, token.school_id)
    role = token.role if token.role in {r.value for r in Role} else ""
    return (school.name if school else "", role)


def refresh_invitation(db: Session, *, raw_token: str, ip: str | None) -> None:
    """The expired-link page's one click: mail a fresh link to the address the old link went to.

    The visitor names no address and learns nothing: the page says the same whatever the token was.
    An accepted invitation brings a sign-in link (the account exists); a person no longer at the
    school gets nothing. Rate limited per network and per address. ``db``: ``unscoped()`` (every
    query names the token's school).
    """
    with committing(db):
        if ip:
            rate_limit.hit(db, key=rate_limit.limit_key("invitation_refresh:ip", ip), **MAIL_PER_IP.kw)
        token = find_token(db, raw=raw_token, purpose=TokenPurpose.INVITATION)
        school = db.get(School, token.school_id) if token and token.school_id else None
        user = db.get(User, token.user_id) if token else None
        if token is None or school is None or user is None or school.status != SchoolStatus.ACTIVE.value:
            return
        assert school.id is not None and user.id is not None
        email_key = rate_limit.limit_key("invitation_refresh:email", user.email)
        rate_limit.hit(db, key=email_key, **MAIL_PER_ADDRESS.kw)
        roles = _roles_at(db, school_id=school.id, user_id=user.id)
        if not roles:
            return
        if invitation_status(db, school_id=school.id, user_id=user.id) is InvitationStatus.ACCEPTED:
            raw = issue_token(db, purpose=TokenPurpose.SIGN_IN_LINK, user_id=user.id)
            send_link_mail(db, user=user, purpose=TokenPurpose.SIGN_IN_LINK, raw=raw)
            return
        role = token.role if token.role in roles else sorted(roles)[0]
        _send_invitation(
            db, school=school, user=user, role=role, inviter_user_id=user.id, name=token.invited_name
        )


def accept_invitation(db: Session, *, raw_token: str) -> tuple[int, int]:
    """Accept (POST only; the GET page peeks): verifies the address. Returns (user id, school id)."""
    with committing(db):
        token = consume_token(db, raw=raw_token, purpose=TokenPurpose.INVITATION)
        assert token.school_id is not None
        user = get_user(db, token.user_id)
        mark_verified(db, user)
        _grant_invited_role(db, token=token)
        # Accepting the invitation accepts the privacy statement in force (the page links to it).
        record_acceptance(db, user_id=token.user_id)
        # The roster's guardian/teacher rows with this address now belong to the account.
        link_account(db, school_id=token.school_id, user_id=token.user_id, email=user.email)
        audit.record(
            db,
            event=audit.Event.INVITATION_ACCEPTED,
            actor_user_id=token.user_id,
            subject_user_id=token.user_id,
            school_id=token.school_id,
            detail={"role": token.role},
        )
    return token.user_id, token.school_id
