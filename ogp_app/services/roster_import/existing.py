"""What the school's roster holds now: a handful of column-only queries, no ORM objects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from ogp_app.models import ClassTeacher, Guardian, Pupil, PupilGuardian, SchoolClass, Teacher, User


@dataclass
class ExistingPupil:
    id: int
    pupil_number: str | None
    first_name: str
    name_prefix: str | None
    last_name: str
    class_id: int
    family_key: int | None
    archived: bool


@dataclass
class ExistingPerson:
    id: int
    email: str
    name: str
    user_id: int | None
    archived: bool
    household_id: int | None = None
    language: str | None = None


@dataclass
class Existing:
    classes: dict[str, tuple[int, bool]] = field(default_factory=dict)  # casefold name -> (id, archived)
    class_names: dict[int, str] = field(default_factory=dict)
    teachers: dict[str, ExistingPerson] = field(default_factory=dict)  # by e-mail
    mentors: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # class -> teachers
    mentor_link_ids: dict[tuple[int, int], int] = field(default_factory=dict)
    guardians: dict[str, ExistingPerson] = field(default_factory=dict)  # by e-mail
    pupils: list[ExistingPupil] = field(default_factory=list)
    links: dict[int, dict[int, int]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # pupil -> guardian -> link id


def _select(*columns: Any) -> Any:
    return select(*columns)


def load_existing(db: Session) -> Existing:
    """``db`` is scoped to the school, so every query sees that school's rows only."""
    found = Existing()
    for cid, name, archived_at in db.execute(
        _select(SchoolClass.id, SchoolClass.name, SchoolClass.archived_at)
    ).all():
        found.classes[name.casefold()] = (cid, archived_at is not None)
        found.class_names[cid] = name
    teacher_columns = (Teacher.id, Teacher.email, Teacher.display_name, Teacher.user_id, Teacher.archived_at)
    for tid, email, name, user_id, archived_at in db.execute(_select(*teacher_columns)).all():
        found.teachers[email] = ExistingPerson(tid, email, name, user_id, archived_at is not None)
    mentors = _select(ClassTeacher.id, ClassTeacher.class_id, ClassTeacher.teacher_id).where(
        col(ClassTeacher.subject).is_(None)
    )
    for link_id, class_id, teacher_id in db.execute(mentors).all():
        found.mentors[class_id].add(teacher_id)
        found.mentor_link_ids[(class_id, teacher_id)] = link_id
    guardian_columns = (
        Guardian.id,
        Guardian.email,
        Guardian.display_name,
        Guardian.user_id,
        Guardian.archived_at,
        Guardian.household_id,
        Guardian.language,
    )
    for gid, email, name, user_id, archived_at, household, language in db.execute(
        _select(*guardian_columns)
    ).all():
        found.guardians[email] = ExistingPerson(
            gid, email, name, user_id, archived_at is not None, household, language
        )
    pupil_columns = (
        Pupil.id,
        Pupil.pupil_number,
        Pupil.first_name,
        Pupil.name_prefix,
        Pupil.last_name,
        Pupil.class_id,
        Pupil.family_key,
    )
    for pid, number, first, prefix, last, class_id, family, archived_at in db.execute(
        _select(*pupil_columns, Pupil.archived_at)
    ).all():
        pupil = ExistingPupil(pid, number, first, prefix, last, class_id, family, archived_at is not None)
        found.pupils.append(pupil)
    links = _select(PupilGuardian.id, PupilGuardian.pupil_id, PupilGuardian.guardian_id)
    for link_id, pupil_id, guardian_id in db.execute(links).all():
        found.links[pupil_id][guardian_id] = link_id
    return found


def user_ids_by_email(db: Session, emails: set[str]) -> dict[str, int]:
    """Accounts (across schools: one person, one account) for these addresses."""
    found: dict[str, int] = {}
    ordered = sorted(emails)
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        query = _select(User.id, User.email).where(col(User.email).in_(chunk))
        for uid, email in db.execute(query).all():
            found[email] = uid
    return found


def load_class_names(db: Session) -> set[str]:
    """Case-folded names of the school's active classes."""
    rows = db.execute(_select(SchoolClass.name, SchoolClass.archived_at)).all()
    return {name.casefold() for name, archived_at in rows if archived_at is None}
