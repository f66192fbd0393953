"""Which schools a person belongs to, and switching the session between them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ogp_app.models import AuthSession, Membership, School
from ogp_app.services.auth.sessions import hash_token, resolve_session
from ogp_app.services.errors import NotAuthenticated, PermissionDenied


@dataclass(frozen=True)
class SchoolChoice:
    """A display DTO for the "choose school" switch (never a table object)."""

    school_id: int
    name: str
    status: str
    roles: tuple[str, ...]


def memberships_of(db: Session, *, user_id: int) -> list[SchoolChoice]:
    """Every school where the person holds a role, by name. ``db``: ``unscoped()`` (spans schools)."""
    rows = db.exec(
        select(School.id, School.name, School.status, Membership.role)
        .join(Membership, col(Membership.school_id) == School.id)
        .where(Membership.user_id == user_id)
        .order_by(col(School.name), col(School.id), col(Membership.role))
    ).all()
    grouped: dict[int, tuple[str, str, list[str]]] = {}
    for school_id, name, status, role in rows:
        assert school_id is not None
        grouped.setdefault(school_id, (name, status, []))[2].append(role)
    return [SchoolChoice(sid, name, status, tuple(roles)) for sid, (name, status, roles) in grouped.items()]


def default_school_id(db: Session, *, user_id: int) -> int | None:
    """The school to open after log-in when there is no choice to make. ``db``: ``unscoped()``."""
    choices = memberships_of(db, user_id=user_id)
    return choices[0].school_id if len(choices) == 1 else None


def switch_school(db: Session, *, token: str, school_id: int) -> SchoolChoice:
    """Point the session behind ``token`` at ``school_id``, only where the person holds a role.

    ``db``: ``school_session(school_id)`` (or ``unscoped()``); a session scoped to another school
    finds no membership and is refused.
    """
    identity = resolve_session(token)  # the same expiry rules as every request
    auth = db.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if identity is None or auth is None:
        raise NotAuthenticated()
    roles = db.exec(
        select(Membership.role).where(Membership.user_id == auth.user_id, Membership.school_id == school_id)
    ).all()
    school = db.get(School, school_id)
    if not roles or school is None:
        raise PermissionDenied("no membership at this school")
    auth.school_id = school_id
    db.add(auth)
    db.commit()
    return SchoolChoice(school_id, school.name, school.status, tuple(sorted(roles)))
