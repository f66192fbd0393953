"""Server-side log-in sessions: create, resolve, rotate and revoke.

The cookie holds ``secrets.token_urlsafe(32)`` (256 bits); only its SHA-256 is stored, so a leaked
database does not yield usable sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, delete, select

from ogp_app.core.db import unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import AuthSession, Membership, Role, School, SchoolStatus, SessionStage, User
from ogp_app.models.base import utcnow
from ogp_app.services.auth.two_factor import is_enrolled, second_factor_required
from ogp_app.services.errors import PermissionDenied


@dataclass(frozen=True)
class Identity:
    """Who is calling, resolved on the server from the session cookie. Never from the client."""

    user_id: int
    display_name: str
    email: str
    language: str
    is_staff: bool
    school_id: int | None
    school_name: str | None
    roles: frozenset[str]
    second_factor_enrolled: bool = False
    second_factor_required: bool = False
    school_frozen: bool = False  # being deleted: only its admins keep their role (to export or undo)

    @property
    def must_enrol_second_factor(self) -> bool:
        """An admin or staff member without an authenticator may do nothing but enrol one."""
        return self.second_factor_required and not self.second_factor_enrolled

    def require_role(self, *roles: Role, allow_frozen: bool = False) -> None:
        """Hold one of ``roles`` at the session's school, or raise.

        A school being deleted is read-only at once: its admins keep only what ``allow_frozen`` lets
        through (the privacy centre's export and undo, the invoices), so nothing changes in the grace
        period that the purge would then remove or the undo would have to explain.
        """
        if self.school_id is None or not self.roles & {r.value for r in roles}:
            raise PermissionDenied("role required: " + ", ".join(r.value for r in roles))
        if self.school_frozen and not allow_frozen:
            raise SchoolFrozen()


class SchoolFrozen(PermissionDenied):
    message_key = "error.school_frozen"


@dataclass(frozen=True)
class PendingLogin:
    """A log-in that passed its first factor and waits for the second; not an identity."""

    user_id: int
    school_id: int | None


PENDING_LIFETIME = timedelta(minutes=10)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(
    db: Session, *, user_id: int, school_id: int | None, stage: SessionStage = SessionStage.FULL
) -> str:
    """Start a session and return the raw token for the cookie (shown once, never stored).

    Log-ins go through :func:`ogp_app.services.auth.login_flow.start_login_session`, which picks the stage.
    """
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        AuthSession(
            token_hash=hash_token(token),
            user_id=user_id,
            school_id=school_id,
            stage=SessionStage(stage).value,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=settings.session_absolute_days),
        )
    )
    db.commit()
    return token


def _live_session(db: Session, token: str | None, stage: SessionStage) -> AuthSession | None:
    """The session row of ``token`` at ``stage`` unless expired or idle too long (then it is deleted)."""
    if not token or not isinstance(token, str) or len(token) > 128:
        return None
    settings = get_settings()
    now = utcnow()
    auth = db.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if auth is None or auth.stage != stage.value:
        return None
    idle_limit = auth.last_seen_at + timedelta(hours=settings.session_idle_hours)
    if stage is SessionStage.SECOND_FACTOR:  # a half log-in is short-lived
        idle_limit = min(idle_limit, auth.created_at + PENDING_LIFETIME)
    if now >= auth.expires_at or now >= idle_limit:
        db.delete(auth)
        db.commit()
        return None
    return auth


def resolve_pending_login(token: str | None) -> PendingLogin | None:
    """The person waiting at the second-factor prompt behind ``token``, or None (for the 2FA step only)."""
    with unscoped() as db:
        auth = _live_session(db, token, SessionStage.SECOND_FACTOR)
        return PendingLogin(user_id=auth.user_id, school_id=auth.school_id) if auth else None


def resolve_session(token: str | None) -> Identity | None:
    """The identity behind a cookie token, or None when missing, unknown, idle too long or expired.

    A session still waiting for its second factor is no identity.
    """
    now = utcnow()
    with unscoped() as db:  # memberships of one user span schools
        auth = _live_session(db, token, SessionStage.FULL)
        if auth is None:
            return None
        user = db.get(User, auth.user_id)
        if user is None:
            return None
        roles: frozenset[str] = frozenset()
        school_name = None
        frozen = False
        if auth.school_id is not None:
            school = db.get(School, auth.school_id)
            school_name = school.name if school else None
            frozen = school is not None and school.status == SchoolStatus.FROZEN.value
            roles = frozenset(
                db.exec(
                    select(Membership.role).where(
                        Membership.user_id == user.id, Membership.school_id == auth.school_id
                    )
                ).all()
            )
        if now - auth.last_seen_at > timedelta(minutes=1):  # throttle writes
            auth.last_seen_at = now
            db.add(auth)
            db.commit()
        assert user.id is not None
        return Identity(
            user_id=user.id,
            display_name=user.display_name,
            email=user.email,
            language=user.preferred_language,
            is_staff=user.is_staff,
            school_id=auth.school_id,
            school_name=school_name,
            roles=roles & {Role.SCHOOL_ADMIN.value} if frozen else roles,
            school_frozen=frozen,
            second_factor_enrolled=is_enrolled(db, user_id=user.id),
            second_factor_required=second_factor_required(roles=roles, is_staff=user.is_staff),
        )


def rotate_session(db: Session, *, token: str, school_id: int | None) -> str:
    """Replace the session behind ``token`` by a new one of the same person and stage at ``school_id``."""
    auth = db.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if auth is None:
        raise ValueError("no such session")
    user_id, stage = auth.user_id, SessionStage(auth.stage)
    db.delete(auth)
    db.flush()
    return create_session(db, user_id=user_id, school_id=school_id, stage=stage)


def revoke_session(db: Session, token: str) -> None:
    db.exec(delete(AuthSession).where(col(AuthSession.token_hash) == hash_token(token)))
    db.commit()


def revoke_all_sessions(db: Session, *, user_id: int) -> int:
    """Log a person out everywhere; returns how many sessions ended."""
    result = db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id))
    db.commit()
    return int(result.rowcount or 0)
