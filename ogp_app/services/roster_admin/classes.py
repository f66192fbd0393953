"""Classes (groepen/klassen): list and search, add, rename, archive and bring back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ogp_app.models import ClassTeacher, Pupil, SchoolClass, Teacher
from ogp_app.models.base import utcnow
from ogp_app.services.errors import DomainError
from ogp_app.services.roster_admin.access import (
    RosterRowMissing,
    Viewer,
    archived_filter,
    check_id,
    matching,
    saving,
    text,
)


class ClassNotEmpty(DomainError):
    message_key = "manage.error.class_not_empty"


@dataclass(frozen=True)
class ClassRow:
    id: int
    name: str
    teachers: str  # names, with the subject where there is one
    pupils: int
    archived: bool


def get_class(db: Session, viewer: Viewer, class_id: object) -> SchoolClass:
    """The class, when the viewer may see it; else RosterRowMissing."""
    row = db.get(SchoolClass, check_id(class_id))
    if row is None or row.school_id != viewer.school_id or not viewer.sees_class(check_id(class_id)):
        raise RosterRowMissing()
    return row


def teacher_names(db: Session, class_ids: list[int]) -> dict[int, str]:
    rows = db.exec(
        select(ClassTeacher.class_id, Teacher.display_name, ClassTeacher.subject)
        .join(Teacher, col(Teacher.id) == ClassTeacher.teacher_id)
        .where(col(ClassTeacher.class_id).in_(class_ids), col(Teacher.archived_at).is_(None))
        .order_by(col(Teacher.display_name))
    ).all()
    names: dict[int, list[str]] = {}
    for class_id, name, subject in rows:
        names.setdefault(class_id, []).append(f"{name} ({subject})" if subject else name)
    return {class_id: ", ".join(found) for class_id, found in names.items()}


def list_classes(
    db: Session, *, viewer: Viewer, query: object = "", archived: bool = False
) -> list[ClassRow]:
    """The classes the viewer may see, by name; ``archived`` lists the archived ones instead (admins)."""
    if archived:
        viewer.require_admin()
    statement = select(SchoolClass).where(
        SchoolClass.school_id == viewer.school_id, archived_filter(SchoolClass.archived_at, archived)
    )
    if not viewer.is_admin:
        statement = statement.where(col(SchoolClass.id).in_(viewer.class_ids))
    statement = matching(statement, query, SchoolClass.name)
    classes = db.exec(statement.order_by(col(SchoolClass.name)).limit(500)).all()
    ids = [c.id for c in classes if c.id is not None]
    counts = dict(
        db.exec(
            select(Pupil.class_id, func.count(col(Pupil.id)))
            .where(col(Pupil.class_id).in_(ids), col(Pupil.archived_at).is_(None))
            .group_by(col(Pupil.class_id))
        ).all()
    )
    names = teacher_names(db, ids)
    return [
        ClassRow(c.id, c.name, names.get(c.id, ""), counts.get(c.id, 0), c.archived_at is not None)
        for c in classes
        if c.id is not None
    ]


def save_class(db: Session, *, viewer: Viewer, class_id: object | None, name: object) -> int:
    """Add a class (``class_id`` None) or rename one. Admins only; names are unique per school."""
    viewer.require_admin()
    clean = text(name, max_length=60, key="manage.error.class_name")
    row = (
        SchoolClass(school_id=viewer.school_id, name=clean)
        if class_id is None
        else get_class(db, viewer, class_id)
    )
    row.name = clean
    with saving(db, "manage.error.class_duplicate"):
        db.add(row)
    assert row.id is not None
    return row.id


def set_class_archived(db: Session, *, viewer: Viewer, class_id: object, archived: bool) -> None:
    """Archive a class without current pupils, or bring one back. Admins only."""
    viewer.require_admin()
    row = get_class(db, viewer, class_id)
    if archived and row.archived_at is None:
        pupils = db.exec(
            select(Pupil.id).where(Pupil.class_id == row.id, col(Pupil.archived_at).is_(None)).limit(1)
        ).first()
        if pupils is not None:
            raise ClassNotEmpty()
        row.archived_at = utcnow()
    elif not archived:
        row.archived_at = None
    with saving(db, "manage.error.class_duplicate"):
        db.add(row)
