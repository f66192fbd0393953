"""Accounts for the people on the roster: invite guardians and teachers, see who accepted, resend.

A guardian or teacher is a roster row first. Inviting one creates (or finds) the account with that
e-mail, gives it the parent or teacher role at the school and links the row's ``user_id`` at once;
accepting an invitation links any other row of that school with the same e-mail (:func:`link_account`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session, col, select

from ogp_app.models import Guardian, Membership, OneTimeToken, Role, Teacher, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services.accounts import InvitationStatus, invite_member, resend_invitation
from ogp_app.services.accounts.roster_links import link_account
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.errors import InvalidInput
from ogp_app.services.mail.languages import mail_language

Kind = Literal["guardian", "teacher"]
_MODELS: dict[str, Any] = {"guardian": Guardian, "teacher": Teacher}
_ROLES = {"guardian": Role.PARENT.value, "teacher": Role.TEACHER.value}


@dataclass(frozen=True)
class PersonStatus:
    kind: str  # "guardian" or "teacher"
    person_id: int
    name: str
    email: str
    status: str  # an InvitationStatus value


def _statuses(db: Session, *, school_id: int, user_ids: set[int]) -> dict[int, InvitationStatus]:
    """Invitation status per account, from one query over the school's invitation tokens."""
    found: dict[int, InvitationStatus] = {}
    now = utcnow()
    ordered = sorted(user_ids)
    for start in range(0, len(ordered), 900):
        rows = db.exec(
            select(OneTimeToken.user_id, OneTimeToken.used_at, OneTimeToken.expires_at).where(
                OneTimeToken.purpose == TokenPurpose.INVITATION.value,
                OneTimeToken.school_id == school_id,
                col(OneTimeToken.user_id).in_(ordered[start : start + 900]),
            )
        ).all()
        for user_id, used_at, expires_at in rows:
            old = found.get(user_id, InvitationStatus.EXPIRED)
            if used_at is not None or old is InvitationStatus.ACCEPTED:
                found[user_id] = InvitationStatus.ACCEPTED
            elif expires_at > now:
                found[user_id] = InvitationStatus.PENDING
            else:
                found[user_id] = old
    return found


def _active_members(db: Session, *, school_id: int, user_ids: set[int]) -> set[tuple[int, str]]:
    """(user id, role) of people who already use a verified account at this school: no invitation needed."""
    found: set[tuple[int, str]] = set()
    ordered = sorted(user_ids)
    for start in range(0, len(ordered), 900):
        rows = db.exec(
            select(Membership.user_id, Membership.role)
            .join(User, col(User.id) == Membership.user_id)
            .where(
                Membership.school_id == school_id,
                col(Membership.user_id).in_(ordered[start : start + 900]),
                col(User.email_verified_at).is_not(None),
            )
        ).all()
        found.update((user_id, role) for user_id, role in rows)
    return found


def people(db: Session, *, school_id: int, admin_user_id: int) -> list[PersonStatus]:
    """Active guardians and teachers with their invitation status. ``db``: ``school_session``."""
    require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    rows: list[tuple[str, int, str, str, int | None]] = []
    for kind, model in _MODELS.items():
        for pid, name, email, user_id in db.exec(
            select(model.id, model.display_name, model.email, model.user_id)
            .where(col(model.archived_at).is_(None))
            .order_by(col(model.display_name), col(model.id))
        ).all():
            rows.append((kind, pid, name, email, user_id))
    user_ids = {r[4] for r in rows if r[4] is not None}
    statuses = _statuses(db, school_id=school_id, user_ids=user_ids)
    members = _active_members(db, school_id=school_id, user_ids=user_ids - statuses.keys())

    def status(kind: str, user_id: int | None) -> str:
        if user_id is None:
            return InvitationStatus.NOT_INVITED.value
        if user_id in statuses:
            return statuses[user_id].value
        member = (user_id, _ROLES[kind]) in members
        return (InvitationStatus.ACCEPTED if member else InvitationStatus.NOT_INVITED).value

    return [
        PersonStatus(kind, pid, name, email, status(kind, user_id))
        for kind, pid, name, email, user_id in rows
    ]


def invite_person(
    db: Session, *, school_id: int, admin_user_id: int, kind: str, person_id: int, language: str
) -> None:
    """Invite one guardian or teacher of the school, or mail a fresh link when one was sent before.
    ``language``: of a new account and its mail, unless the roster gives the guardian's (then that one
    when the app speaks it, else Dutch); an existing account keeps its own."""
    model = _MODELS.get(kind)
    if model is None or not isinstance(person_id, int) or isinstance(person_id, bool):
        raise InvalidInput("unknown person")
    require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    row = db.exec(select(model).where(model.id == person_id, col(model.archived_at).is_(None))).first()
    if row is None:  # another school's row is invisible in this scoped session
        raise InvalidInput("unknown person")
    if row.user_id is not None:
        status = _statuses(db, school_id=school_id, user_ids={row.user_id}).get(row.user_id)
        if status is not None:
            resend_invitation(db, school_id=school_id, inviter_user_id=admin_user_id, user_id=row.user_id)
            return
    if kind == "guardian" and row.language:  # the school's file named the parent's language
        language = mail_language(None, row.language)
    user_id = invite_member(
        db,
        school_id=school_id,
        inviter_user_id=admin_user_id,
        email=row.email,
        name=row.display_name,
        role=_ROLES[kind],
        language=language,
    )
    link_account(db, school_id=school_id, user_id=user_id, email=row.email)
    db.commit()


def invite_all_new(
    db: Session,
    *,
    school_id: int,
    admin_user_id: int,
    language: str,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Invite every active guardian and teacher who has no invitation yet; returns how many."""
    todo = [
        p for p in people(db, school_id=school_id, admin_user_id=admin_user_id) if p.status == "not_invited"
    ]
    for done, person in enumerate(todo, start=1):
        invite_person(
            db,
            school_id=school_id,
            admin_user_id=admin_user_id,
            kind=person.kind,
            person_id=person.person_id,
            language=language,
        )
        if progress is not None:
            progress(done, len(todo))
    return len(todo)
