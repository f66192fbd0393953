"""Who acts: built by the page state from the server-side session, never from handler arguments."""

from __future__ import annotations

from dataclasses import dataclass

from ogp_app.models import Role
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: int
    school_id: int
    is_admin: bool = False
    is_teacher: bool = False
    is_parent: bool = False

    @property
    def is_school_staff(self) -> bool:
        """Admins and teachers may book outside the window and on a family's behalf."""
        return self.is_admin or self.is_teacher

    @classmethod
    def from_identity(cls, identity: Identity) -> Actor:
        if identity.school_id is None:
            raise PermissionDenied("no school in this session")
        return cls(
            user_id=identity.user_id,
            school_id=identity.school_id,
            is_admin=Role.SCHOOL_ADMIN.value in identity.roles,
            is_teacher=Role.TEACHER.value in identity.roles,
            is_parent=Role.PARENT.value in identity.roles,
        )

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied("school admin only")
