"""Who may see which part of a school's roster: admins everything, teachers their own classes, read-only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, or_, select
from sqlmodel.sql._expression_select_cls import SelectBase

from ogp_app.core.db import SchoolOwned
from ogp_app.models import ClassTeacher, Membership, Role, SchoolClass, Teacher, User
from ogp_app.models.base import utcnow
from ogp_app.services.accounts import InvalidEmail, normalise_email
from ogp_app.services.errors import DomainError, InvalidInput, PermissionDenied

ID_MAX = 2**31 - 1


class RosterRowMissing(DomainError):
    """Not there, or not the caller's to see: one answer for both."""

    message_key = "manage.error.not_found"


class RosterDuplicate(DomainError):
    message_key = "manage.error.duplicate"


@dataclass(frozen=True)
class Viewer:
    """The caller at one school: an admin, or a teacher with the classes they teach."""

    school_id: int
    user_id: int
    is_admin: bool
    class_ids: frozenset[int]

    def sees_class(self, class_id: int) -> bool:
        return self.is_admin or class_id in self.class_ids

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied("school admin required")


def own_teacher_ids(db: Session, *, school_id: int, user: User) -> list[int]:
    """The caller's teacher rows: linked to the account, or (unlinked) at their verified address."""
    mine: list[ColumnElement[bool]] = [col(Teacher.user_id) == user.id]
    if user.email_verified_at is not None:
        mine.append(and_(col(Teacher.email) == user.email, col(Teacher.user_id).is_(None)))
    return [
        teacher_id
        for teacher_id in db.exec(
            select(Teacher.id).where(
                Teacher.school_id == school_id,
                col(Teacher.archived_at).is_(None),
                or_(*mine),
            )
        ).all()
        if teacher_id is not None
    ]


def viewer(db: Session, *, school_id: int, user_id: int) -> Viewer:
    """The caller's view of the roster, or PermissionDenied (parents, strangers, other schools).

    ``db``: ``school_session(school_id)``.
    """
    roles = set(
        db.exec(
            select(Membership.role).where(Membership.school_id == school_id, Membership.user_id == user_id)
        ).all()
    )
    user = db.get(User, user_id)
    if user is None:
        raise PermissionDenied("no such user")
    if Role.SCHOOL_ADMIN.value in roles:
        return Viewer(school_id, user_id, True, frozenset())
    if Role.TEACHER.value not in roles:
        raise PermissionDenied("school admin or teacher required")
    teachers = own_teacher_ids(db, school_id=school_id, user=user)
    class_ids = db.exec(
        select(ClassTeacher.class_id)
        .join(SchoolClass, col(SchoolClass.id) == ClassTeacher.class_id)
        .where(col(ClassTeacher.teacher_id).in_(teachers), col(SchoolClass.archived_at).is_(None))
    ).all()
    return Viewer(school_id, user_id, False, frozenset(class_ids))


def check_id(value: object) -> int:
    """A row id from a caller: a positive integer in range, or InvalidInput."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= ID_MAX:
        raise InvalidInput("row id")
    return value


def text(value: object, *, max_length: int, key: str, required: bool = True) -> str:
    """One trimmed, printable line; empty allowed only when not required."""
    line = " ".join(value.split()) if isinstance(value, str) else None
    if line is None or len(line) > max_length or not line.isprintable() or (required and not line):
        raise InvalidInput(key, message_key=key)
    return line


def search_terms(query: object) -> list[str]:
    """Lower-cased words of a search box (at most 5, 100 characters in all)."""
    if not isinstance(query, str) or len(query) > 100 or not query.isprintable():
        raise InvalidInput("search query")
    return [word.lower() for word in query.split()][:5]


@contextmanager
def saving(db: Session, duplicate_key: str) -> Iterator[None]:
    """Commit the block; a unique constraint hit becomes a clear duplicate message, nothing written."""
    try:
        yield
        db.commit()
    except IntegrityError:
        db.rollback()
        raise RosterDuplicate(duplicate_key, message_key=duplicate_key) from None
    except BaseException:
        db.rollback()
        raise


class Archivable(Protocol):
    """A roster row that can be archived (kept for the school's records, no longer shown)."""

    archived_at: datetime | None


class Contact(Protocol):
    """A roster person the school reaches by e-mail, perhaps linked to an account at that address."""

    display_name: str
    email: str
    user_id: int | None


RowT = TypeVar("RowT", bound=SchoolOwned)
Statement = TypeVar("Statement", bound=SelectBase[*tuple[Any, ...]])


def school_row(db: Session, viewer: Viewer, model: type[RowT], row_id: object) -> RowT:
    """The row of the viewer's school with that id, else RosterRowMissing (one answer for both)."""
    row = db.get(model, check_id(row_id))
    if row is None or row.school_id != viewer.school_id:
        raise RosterRowMissing()
    return row


def archived_filter(column: Any, archived: bool) -> ColumnElement[bool]:
    """The archived rows, or the current ones, by their ``archived_at`` column."""
    return col(column).is_not(None) if archived else col(column).is_(None)


def matching(statement: Statement, query: object, *columns: Any) -> Statement:
    """``statement`` narrowed to rows where every search word is in one of ``columns`` (any case)."""
    for word in search_terms(query):
        statement = statement.where(
            or_(*(func.lower(column).contains(word, autoescape=True) for column in columns))
        )
    return statement


def email_address(value: object) -> str:
    """A person's e-mail address from the form, normalised; else the form's e-mail message."""
    try:
        return normalise_email(value)
    except InvalidEmail:
        raise InvalidInput("email", message_key="manage.error.email") from None


def set_contact(row: Contact, *, name: str, address: str) -> None:
    """Name and address as entered; a changed address drops the account link (it was the old one's)."""
    if row.email != address:
        row.user_id = None
    row.display_name, row.email = name, address


def store_archived(db: Session, row: Archivable, *, archived: bool, duplicate_key: str) -> None:
    """Archive the row now, or bring it back; a clash on the way back is the duplicate message."""
    row.archived_at = utcnow() if archived else None
    with saving(db, duplicate_key):
        db.add(row)
