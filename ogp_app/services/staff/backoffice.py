"""The OGP staff back office: creating staff accounts, the school list and opening a school's data.

Staff never see a school's data by default. Opening it takes a stated reason, and each opening is
written to the school's ``staff_access_log`` first, in the same transaction as nothing else: no log
row, no data. Every function here expects an ``unscoped()`` session (work across schools) unless it
says otherwise; the caller (a page state) has already checked ``is_staff`` and the second factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ogp_app.core.db import SchoolOwned, committing
from ogp_app.i18n import translate
from ogp_app.models import (
    AuthSession,
    ConferenceRound,
    Guardian,
    Membership,
    Pupil,
    Role,
    School,
    SchoolClass,
    StaffAccessLog,
    Teacher,
    User,
)
from ogp_app.models.backoffice import REASON_MAX
from ogp_app.services.accounts import request_password_reset
from ogp_app.services.accounts._common import (
    clean_name,
    normalise_email,
    user_by_email,
)
from ogp_app.services.auth import audit
from ogp_app.services.errors import DomainError, InvalidInput

REASON_MIN = 10
OPENED_OVERVIEW = "school_overview"
OPENED_SCHOOL_EXPORT = "school_export"
OPENED_PERSON_EXPORT = "person_export"


class ReasonRequired(DomainError):
    message_key = "staff.schools.error.reason"


class UnknownSchool(DomainError):
    message_key = "staff.schools.error.unknown"


@dataclass(frozen=True)
class StaffCreated:
    user_id: int
    email: str
    created: bool  # False: an existing account became staff
    password_link_sent: bool


def create_staff(db: Session, *, email: object, name: object | None = None) -> StaffCreated:
    """Make ``email`` an OGP staff account (the only way to get one: ``ogp create-staff``).

    A new account gets a password link by e-mail; either way the first log-in demands a second factor
    before the back office opens (staff must use one). ``db``: a plain ``session()``. Audited.
    """
    address = normalise_email(email)
    user = user_by_email(db, address)
    created = user is None
    with committing(db):
        if user is None:
            display = clean_name(name if name else address.split("@", 1)[0])
            user = User(email=address, display_name=display, is_staff=True)
            db.add(user)
            db.flush()
        else:
            user.is_staff = True
            db.add(user)
        assert user.id is not None
        audit.record(db, event=audit.Event.ROLE_GRANTED, subject_user_id=user.id, detail={"role": "staff"})
    needs_password = user.password_hash is None
    if needs_password:
        request_password_reset(db, email=address, ip=None)  # the link proves the mailbox too
    assert user.id is not None
    return StaffCreated(user_id=user.id, email=address, created=created, password_link_sent=needs_password)


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    city: str
    status: str
    pupils: int
    last_activity: datetime | None
    subscription: str  # "" until billing exists


def school_list(db: Session) -> list[SchoolRow]:
    """Every school with status, pupil count and last activity (latest use of any member's session)."""
    pupils = dict(
        db.exec(
            select(Pupil.school_id, func.count())
            .where(col(Pupil.archived_at).is_(None))
            .group_by(col(Pupil.school_id))
        ).all()
    )
    activity = dict(
        db.exec(
            select(AuthSession.school_id, func.max(AuthSession.last_seen_at))
            .where(col(AuthSession.school_id).is_not(None))
            .group_by(col(AuthSession.school_id))
        ).all()
    )
    schools = db.exec(select(School).order_by(col(School.name), col(School.id))).all()
    return [
        SchoolRow(
            id=s.id or 0,
            name=s.name,
            city=s.city or "",
            status=s.status,
            pupils=int(pupils.get(s.id or 0, 0)),
            last_activity=_aware(activity.get(s.id or 0)),
            subscription="",
        )
        for s in schools
    ]


def _aware(value: datetime | None) -> datetime | None:
    """max() over a UTCDateTime column comes back raw on SQLite (naive): it is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@dataclass(frozen=True)
class AccessEntry:
    staff_name: str
    reason: str
    opened: str
    at: datetime
    subject_name: str = ""  # the person whose data was opened; "" for a school-wide opening
    school_name: str = ""  # filled in for a person's own view (their entries span schools)


@dataclass(frozen=True)
class SchoolDetail:
    id: int
    name: str
    city: str
    brin_code: str
    status: str
    created_at: datetime
    classes: int
    teachers: int
    pupils: int
    guardians: int
    rounds: int
    admins: list[tuple[str, str]]  # (name, e-mail) of the school's admins: whom to contact
    access_log: list[AccessEntry]


def _count(db: Session, model: type[SchoolOwned], school_id: int) -> int:
    return int(db.exec(select(func.count()).select_from(model).where(model.school_id == school_id)).one())


_NEWEST_FIRST = (col(StaffAccessLog.created_at).desc(), col(StaffAccessLog.id).desc())


def _entry(row: StaffAccessLog, *, subject_name: str = "", school_name: str = "") -> AccessEntry:
    return AccessEntry(
        staff_name=row.staff_name,
        reason=row.reason,
        opened=row.opened,
        at=_aware(row.created_at) or row.created_at,
        subject_name=subject_name,
        school_name=school_name,
    )


def access_log(db: Session, *, school_id: int, limit: int = 100) -> list[AccessEntry]:
    """The school's access log, newest first: who, when, why, what (and whose data, when one person's).

    ``db``: unscoped (staff) or ``school_session(school_id)`` (the school's admin at /school/access-log);
    either way only this school's rows are read.
    """
    rows = db.exec(
        select(StaffAccessLog, User.display_name)
        .join(User, col(User.id) == col(StaffAccessLog.subject_user_id), isouter=True)
        .where(StaffAccessLog.school_id == school_id)
        .order_by(*_NEWEST_FIRST)
        .limit(limit)
    ).all()
    return [_entry(r, subject_name=subject or "") for r, subject in rows]


def access_about_person(db: Session, *, user_id: int, limit: int = 100) -> list[AccessEntry]:
    """Staff openings that included this person's data, newest first (their privacy centre).

    What "about them" means, kept literally:

    * an entry naming them (``subject_user_id``): staff opened this one person's data, e.g. an export
      of everything held about them;
    * a school-wide entry (no subject: the school overview, a whole-school export) of a school where
      they hold a role or where the school's roster lists them (guardian or teacher row linked to their
      account), made at or after the moment their data was there: the opened data covered them, in
      counts (overview) or in full (export). Openings from before they were at the school did not.

    Entries of schools they have nothing to do with are never shown. ``db``: unscoped (spans schools).
    """
    since: dict[int, datetime] = {}
    for model in (Membership, Guardian, Teacher):
        for school_id, created in db.exec(
            select(model.school_id, func.min(model.created_at))
            .where(model.user_id == user_id)
            .group_by(col(model.school_id))
        ).all():
            at = _aware(created)
            if at is not None and (school_id not in since or at < since[school_id]):
                since[school_id] = at
    school_wide = [
        (col(StaffAccessLog.school_id) == school_id) & (col(StaffAccessLog.created_at) >= at)
        for school_id, at in since.items()
    ]
    condition = col(StaffAccessLog.subject_user_id) == user_id
    if school_wide:
        condition = condition | (col(StaffAccessLog.subject_user_id).is_(None) & or_(*school_wide))
    rows = db.exec(
        select(StaffAccessLog, School.name)
        .join(School, col(School.id) == col(StaffAccessLog.school_id))
        .where(condition)
        .order_by(*_NEWEST_FIRST)
        .limit(limit)
    ).all()
    return [_entry(r, school_name=name) for r, name in rows]


def _clean_reason(reason: object) -> str:
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not REASON_MIN <= len(text) <= REASON_MAX:
        raise ReasonRequired()
    return text


def _staff(db: Session, staff_user_id: int) -> User:
    staff = db.get(User, staff_user_id)
    if staff is None or not staff.is_staff:
        raise InvalidInput("not staff")
    return staff


def log_export(
    db: Session,
    *,
    staff_user_id: int,
    reason: object,
    school_id: int | None = None,
    user_id: int | None = None,
) -> int:
    """Log a staff export (``ogp export``) before any data is read; returns the number of entries.

    A school export: one school-wide entry at that school. A person's export: one entry naming the
    person at every school they are linked to (a role, or a roster row with their account); a person
    linked to no school has no school data to log. Commits. ``db``: unscoped.
    """
    text = _clean_reason(reason)
    staff = _staff(db, staff_user_id)
    if (school_id is None) == (user_id is None):
        raise InvalidInput("give exactly one of school_id and user_id")
    if school_id is not None:
        if db.get(School, school_id) is None:
            raise UnknownSchool()
        targets, opened = [school_id], OPENED_SCHOOL_EXPORT
    else:
        found: set[int] = set()
        for model in (Membership, Guardian, Teacher):
            found.update(db.exec(select(model.school_id).where(model.user_id == user_id)).all())
        targets, opened = sorted(found), OPENED_PERSON_EXPORT
    with committing(db):
        for target in targets:
            db.add(
                StaffAccessLog(
                    school_id=target,
                    staff_user_id=staff_user_id,
                    staff_name=staff.display_name,
                    reason=text,
                    opened=opened,
                    subject_user_id=user_id,
                )
            )
    return len(targets)


def open_school(db: Session, *, staff_user_id: int, school_id: object, reason: object) -> SchoolDetail:
    """Log why staff open this school, then return its overview. Raises ReasonRequired, UnknownSchool."""
    text = _clean_reason(reason)
    if not isinstance(school_id, int) or isinstance(school_id, bool):
        raise UnknownSchool()
    school = db.get(School, school_id)
    staff = db.get(User, staff_user_id)
    if school is None or school.id is None:
        raise UnknownSchool()
    if staff is None or not staff.is_staff:
        raise InvalidInput("not staff")
    with committing(db):
        db.add(
            StaffAccessLog(
                school_id=school.id,
                staff_user_id=staff_user_id,
                staff_name=staff.display_name,
                reason=text,
                opened=OPENED_OVERVIEW,
            )
        )
    admins = db.exec(
        select(User.display_name, User.email)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.school_id == school.id, Membership.role == Role.SCHOOL_ADMIN.value)
        .order_by(col(User.display_name))
    ).all()
    return SchoolDetail(
        id=school.id,
        name=school.name,
        city=school.city or "",
        brin_code=school.brin_code or "",
        status=school.status,
        created_at=school.created_at,
        classes=_count(db, SchoolClass, school.id),
        teachers=_count(db, Teacher, school.id),
        pupils=_count(db, Pupil, school.id),
        guardians=_count(db, Guardian, school.id),
        rounds=_count(db, ConferenceRound, school.id),
        admins=[(n, e) for n, e in admins],
        access_log=access_log(db, school_id=school.id, limit=20),
    )


def what_label(entry: AccessEntry, language: str) -> str:
    """What was opened, in words: the kind of opening, and whose data when it was one person's."""
    text = translate(f"access_log.opened.{entry.opened}", language)
    if entry.subject_name:
        text = f"{text}: {entry.subject_name}"
    return text
