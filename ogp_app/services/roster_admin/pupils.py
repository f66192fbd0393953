"""Pupils: list and search, add, edit (name, number, class, guardians, meeting mode), archive and back."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from ogp_app.models import Guardian, Pupil, PupilGuardian, SchoolClass
from ogp_app.models.roster import MEETING_MODES
from ogp_app.services.errors import InvalidInput
from ogp_app.services.roster_admin.access import (
    RosterRowMissing,
    Viewer,
    archived_filter,
    check_id,
    matching,
    saving,
    school_row,
    store_archived,
    text,
)
from ogp_app.services.roster_admin.classes import get_class

GUARDIANS_MAX = 4


@dataclass(frozen=True)
class PupilInput:
    first_name: str
    last_name: str
    class_id: int
    name_prefix: str = ""
    pupil_number: str = ""
    meeting_mode: str = "joint"
    guardian_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PupilRow:
    id: int
    name: str  # "Noah de Vries"
    first_name: str
    name_prefix: str
    last_name: str
    number: str
    class_id: int
    class_name: str
    meeting_mode: str
    guardians: str  # names
    guardian_ids: list[int] = field(default_factory=list)
    archived: bool = False


def full_name(first: str, prefix: str | None, last: str) -> str:
    return " ".join(part for part in (first, prefix or "", last) if part)


def _guardians_of(db: Session, pupil_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    rows = db.exec(
        select(PupilGuardian.pupil_id, Guardian.id, Guardian.display_name)
        .join(Guardian, col(Guardian.id) == PupilGuardian.guardian_id)
        .where(col(PupilGuardian.pupil_id).in_(pupil_ids))
        .order_by(col(Guardian.display_name))
    ).all()
    found: dict[int, list[tuple[int, str]]] = {}
    for pupil_id, guardian_id, name in rows:
        assert guardian_id is not None
        found.setdefault(pupil_id, []).append((guardian_id, name))
    return found


def list_pupils(
    db: Session, *, viewer: Viewer, query: object = "", class_id: object | None = None, archived: bool = False
) -> list[PupilRow]:
    """Pupils the viewer may see (teachers: their own classes), by class and name; searchable."""
    if archived:
        viewer.require_admin()
    statement = (
        select(Pupil, SchoolClass.name)
        .join(SchoolClass, col(SchoolClass.id) == Pupil.class_id)
        .where(Pupil.school_id == viewer.school_id, archived_filter(Pupil.archived_at, archived))
    )
    if not viewer.is_admin:
        statement = statement.where(col(Pupil.class_id).in_(viewer.class_ids))
    if class_id is not None:
        statement = statement.where(Pupil.class_id == get_class(db, viewer, class_id).id)
    statement = matching(
        statement,
        query,
        Pupil.first_name,
        Pupil.last_name,
        func.coalesce(Pupil.name_prefix, ""),
        func.coalesce(Pupil.pupil_number, ""),
    )
    rows = db.exec(
        statement.order_by(col(SchoolClass.name), col(Pupil.last_name), col(Pupil.first_name)).limit(500)
    ).all()
    guardians = _guardians_of(db, [p.id for p, _ in rows if p.id is not None])
    result = []
    for pupil, class_name in rows:
        assert pupil.id is not None
        own = guardians.get(pupil.id, [])
        result.append(
            PupilRow(
                id=pupil.id,
                name=full_name(pupil.first_name, pupil.name_prefix, pupil.last_name),
                first_name=pupil.first_name,
                name_prefix=pupil.name_prefix or "",
                last_name=pupil.last_name,
                number=pupil.pupil_number or "",
                class_id=pupil.class_id,
                class_name=class_name,
                meeting_mode=pupil.meeting_mode,
                guardians=", ".join(name for _, name in own),
                guardian_ids=[guardian_id for guardian_id, _ in own],
                archived=pupil.archived_at is not None,
            )
        )
    return result


def _get(db: Session, viewer: Viewer, pupil_id: object) -> Pupil:
    pupil = school_row(db, viewer, Pupil, pupil_id)
    if not viewer.sees_class(pupil.class_id):
        raise RosterRowMissing()
    return pupil


def _guardian_ids(db: Session, viewer: Viewer, ids: object) -> list[int]:
    if not isinstance(ids, (list, tuple)) or len(ids) > GUARDIANS_MAX:
        raise InvalidInput("guardian ids")
    wanted = sorted({check_id(i) for i in ids})
    found = db.exec(
        select(Guardian.id).where(Guardian.school_id == viewer.school_id, col(Guardian.id).in_(wanted))
    ).all()
    if len(found) != len(wanted):
        raise RosterRowMissing()
    return wanted


def save_pupil(db: Session, *, viewer: Viewer, pupil_id: object | None, data: PupilInput) -> int:
    """Add (``pupil_id`` None) or change a pupil and set their guardians. Admins only; all or nothing."""
    viewer.require_admin()
    first = text(data.first_name, max_length=100, key="manage.error.first_name")
    last = text(data.last_name, max_length=150, key="manage.error.last_name")
    prefix = text(data.name_prefix, max_length=30, key="manage.error.name_prefix", required=False)
    number = text(data.pupil_number, max_length=40, key="manage.error.pupil_number", required=False)
    if data.meeting_mode not in MEETING_MODES:
        raise InvalidInput("meeting mode", message_key="manage.error.meeting_mode")
    school_class = get_class(db, viewer, data.class_id)
    if school_class.archived_at is not None:
        raise InvalidInput("class archived", message_key="manage.error.class_archived")
    guardian_ids = _guardian_ids(db, viewer, data.guardian_ids)
    if pupil_id is None:
        pupil = Pupil(school_id=viewer.school_id, first_name=first, last_name=last, class_id=data.class_id)
    else:
        pupil = _get(db, viewer, pupil_id)
    pupil.first_name, pupil.last_name, pupil.name_prefix = first, last, prefix or None
    pupil.pupil_number, pupil.class_id, pupil.meeting_mode = number or None, data.class_id, data.meeting_mode
    with saving(db, "manage.error.pupil_duplicate"):
        db.add(pupil)
        db.flush()
        assert pupil.id is not None
        db.exec(delete(PupilGuardian).where(col(PupilGuardian.pupil_id) == pupil.id))
        for guardian_id in guardian_ids:
            db.add(PupilGuardian(school_id=viewer.school_id, pupil_id=pupil.id, guardian_id=guardian_id))
    assert pupil.id is not None
    return pupil.id


def set_pupil_archived(db: Session, *, viewer: Viewer, pupil_id: object, archived: bool) -> None:
    """Archive a pupil who left (kept for the school's records) or bring them back. Admins only."""
    viewer.require_admin()
    pupil = _get(db, viewer, pupil_id)
    if not archived and get_class(db, viewer, pupil.class_id).archived_at is not None:
        raise InvalidInput("class archived", message_key="manage.error.class_archived")
    store_archived(db, pupil, archived=archived, duplicate_key="manage.error.pupil_duplicate")
