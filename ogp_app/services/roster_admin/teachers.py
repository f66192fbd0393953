"""Teachers: list and search, add, edit (name, e-mail, room, classes with subject), archive and back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from ogp_app.models import ClassTeacher, SchoolClass, Teacher
from ogp_app.services.errors import InvalidInput
from ogp_app.services.roster_admin.access import (
    Viewer,
    archived_filter,
    email_address,
    matching,
    saving,
    school_row,
    set_contact,
    store_archived,
    text,
)
from ogp_app.services.roster_admin.classes import get_class

ASSIGNMENTS_MAX = 40


@dataclass(frozen=True)
class Assignment:
    class_id: int
    subject: str = ""  # "" for the mentor / groepsleerkracht


@dataclass(frozen=True)
class TeacherRow:
    id: int
    name: str
    email: str
    room: str
    classes: str  # "Groep 5, 3B (wiskunde)"
    assignments: list[Assignment]
    has_account: bool
    archived: bool


def list_teachers(
    db: Session, *, viewer: Viewer, query: object = "", archived: bool = False
) -> list[TeacherRow]:
    """The school's teachers with their classes, by name; searchable. Admins only."""
    viewer.require_admin()
    current = select(Teacher).where(
        Teacher.school_id == viewer.school_id, archived_filter(Teacher.archived_at, archived)
    )
    statement = matching(
        current,
        query,
        Teacher.display_name,
        Teacher.email,
        func.coalesce(Teacher.default_room, ""),
    )
    teachers = db.exec(statement.order_by(col(Teacher.display_name)).limit(500)).all()
    links = db.exec(
        select(ClassTeacher.teacher_id, ClassTeacher.class_id, SchoolClass.name, ClassTeacher.subject)
        .join(SchoolClass, col(SchoolClass.id) == ClassTeacher.class_id)
        .where(col(ClassTeacher.teacher_id).in_([t.id for t in teachers]))
        .order_by(col(SchoolClass.name))
    ).all()
    taught: dict[int, list[tuple[int, str, str]]] = {}
    for teacher_id, class_id, class_name, subject in links:
        taught.setdefault(teacher_id, []).append((class_id, class_name, subject or ""))
    rows = []
    for teacher in teachers:
        assert teacher.id is not None
        own = taught.get(teacher.id, [])
        rows.append(
            TeacherRow(
                id=teacher.id,
                name=teacher.display_name,
                email=teacher.email,
                room=teacher.default_room or "",
                classes=", ".join(f"{name} ({subject})" if subject else name for _, name, subject in own),
                assignments=[Assignment(class_id, subject) for class_id, _, subject in own],
                has_account=teacher.user_id is not None,
                archived=teacher.archived_at is not None,
            )
        )
    return rows


def _assignments(db: Session, viewer: Viewer, assignments: object) -> list[Assignment]:
    if not isinstance(assignments, (list, tuple)) or len(assignments) > ASSIGNMENTS_MAX:
        raise InvalidInput("assignments")
    clean: dict[tuple[int, str], Assignment] = {}
    for item in assignments:
        if not isinstance(item, Assignment):
            raise InvalidInput("assignment")
        subject = text(item.subject, max_length=60, key="manage.error.subject", required=False)
        school_class = get_class(db, viewer, item.class_id)
        assert school_class.id is not None
        clean[(school_class.id, subject)] = Assignment(school_class.id, subject)
    return list(clean.values())


def save_teacher(
    db: Session,
    *,
    viewer: Viewer,
    teacher_id: object | None,
    name: object,
    email: object,
    room: object,
    assignments: object,
) -> int:
    """Add or change a teacher and set the classes they teach (all or nothing). Admins only."""
    viewer.require_admin()
    clean_name = text(name, max_length=200, key="manage.error.teacher_name")
    clean_room = text(room, max_length=60, key="manage.error.room", required=False)
    address = email_address(email)
    taught = _assignments(db, viewer, assignments)
    if teacher_id is None:
        teacher = Teacher(school_id=viewer.school_id, display_name=clean_name, email=address)
    else:
        teacher = school_row(db, viewer, Teacher, teacher_id)
    set_contact(teacher, name=clean_name, address=address)
    teacher.default_room = clean_room or None
    with saving(db, "manage.error.teacher_duplicate"):
        db.add(teacher)
        db.flush()
        assert teacher.id is not None
        db.exec(delete(ClassTeacher).where(col(ClassTeacher.teacher_id) == teacher.id))
        for item in taught:
            db.add(
                ClassTeacher(
                    school_id=viewer.school_id,
                    class_id=item.class_id,
                    teacher_id=teacher.id,
                    subject=item.subject or None,
                )
            )
    assert teacher.id is not None
    return teacher.id


def set_teacher_archived(db: Session, *, viewer: Viewer, teacher_id: object, archived: bool) -> None:
    """Archive a teacher who left (no longer shown or planned) or bring them back. Admins only."""
    viewer.require_admin()
    teacher = school_row(db, viewer, Teacher, teacher_id)
    store_archived(db, teacher, archived=archived, duplicate_key="manage.error.teacher_duplicate")
