"""Authorization helpers: the one place that answers "may this person act for this school?".

Framework-free like every service; each raises :class:`PermissionDenied` and reads the roles from the
database, never from the caller's say-so.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ogp_app.models import Membership, Role, School
from ogp_app.services.errors import PermissionDenied


def require_school_admin(db: Session, *, school_id: int, user_id: int) -> School:
    """The school, when ``user_id`` administers it; else PermissionDenied. ``db``: ``school_session``."""
    school = db.get(School, school_id)
    is_admin = db.exec(
        select(Membership.id).where(
            Membership.school_id == school_id,
            Membership.user_id == user_id,
            Membership.role == Role.SCHOOL_ADMIN.value,
        )
    ).first()
    if school is None or is_admin is None:
        raise PermissionDenied("school admin of this school required")
    return school
