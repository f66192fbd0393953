"""Creating and changing rounds: validation first, then everything in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from ogp_app.models import (
    ClassTeacher,
    ConferenceRound,
    RoundClass,
    RoundDay,
    RoundTeacher,
    SchoolClass,
    Teacher,
    TeacherAvailability,
    TeacherBreak,
)
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.billing_gate import ensure_school_may_open_rounds
from ogp_app.services.rounds.errors import RoundInvalid, RoundNotFound
from ogp_app.services.rounds.lookup import own
from ogp_app.services.rounds.slots import sync_slots
from ogp_app.services.rounds.statements import teaches_the_rounds_way

NAME_MAX = 120
MAX_DAYS = 10


@dataclass(frozen=True)
class DayInput:
    day: date
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class RoundInput:
    name: str
    class_ids: Sequence[int]
    days: Sequence[DayInput]
    meeting_kind: str = "mentor"
    slot_minutes: int = 10
    family_gap_minutes: int = 0
    booking_opens_at: datetime | None = None
    booking_closes_at: datetime | None = None
    cancel_until: datetime | None = None


def _invalid(key: str) -> RoundInvalid:
    return RoundInvalid(key, message_key=f"rounds.error.{key}")


def validate(data: RoundInput) -> None:
    """Refuse a set-up that cannot work; each message names the field to fix."""
    name = data.name.strip()
    if not name or len(name) > NAME_MAX:
        raise _invalid("name")
    if data.meeting_kind not in ("mentor", "subject"):
        raise _invalid("meeting_kind")
    if not isinstance(data.slot_minutes, int) or not 5 <= data.slot_minutes <= 60:
        raise _invalid("slot_minutes")
    if not isinstance(data.family_gap_minutes, int) or not 0 <= data.family_gap_minutes <= 120:
        raise _invalid("gap_minutes")
    if not data.class_ids:
        raise _invalid("classes")
    if not data.days or len(data.days) > MAX_DAYS or len({d.day for d in data.days}) != len(data.days):
        raise _invalid("days")
    for day in data.days:
        if day.starts_at >= day.ends_at:
            raise _invalid("day_times")
    opens, closes, cancel = data.booking_opens_at, data.booking_closes_at, data.cancel_until
    if opens is None or closes is None or opens >= closes:
        raise _invalid("window")
    if cancel is not None and cancel > closes:
        raise _invalid("cancel_until")


def create_round(db: Session, *, actor: Actor, data: RoundInput) -> int:
    """A draft round with its classes, days, teachers (from the classes) and generated slots."""
    actor.require_admin()
    validate(data)
    class_ids = _own_class_ids(db, data.class_ids)
    rnd = ConferenceRound(
        school_id=actor.school_id,
        name=data.name.strip(),
        meeting_kind=data.meeting_kind,
        slot_minutes=data.slot_minutes,
        family_gap_minutes=data.family_gap_minutes,
        booking_opens_at=data.booking_opens_at,
        booking_closes_at=data.booking_closes_at,
        cancel_until=data.cancel_until,
    )
    db.add(rnd)
    db.flush()
    assert rnd.id is not None
    for class_id in class_ids:
        db.add(RoundClass(school_id=actor.school_id, round_id=rnd.id, class_id=class_id))
    for d in sorted(data.days, key=lambda d: d.day):
        db.add(
            RoundDay(
                school_id=actor.school_id,
                round_id=rnd.id,
                day=d.day,
                starts_at=d.starts_at,
                ends_at=d.ends_at,
            )
        )
    _add_teachers(db, rnd, class_ids)
    db.flush()
    sync_slots(db, round_id=rnd.id)
    db.commit()
    return rnd.id


def _own_class_ids(db: Session, class_ids: Sequence[int]) -> list[int]:
    """The ids, each checked to be a class of this school (the session's scope filters the rest out)."""
    wanted = {i for i in class_ids if isinstance(i, int) and not isinstance(i, bool)}
    found = set(db.exec(select(SchoolClass.id).where(col(SchoolClass.id).in_(wanted))).all())
    if not wanted or found != wanted or len(wanted) != len(class_ids):
        raise _invalid("classes")
    return sorted(wanted)


def _add_teachers(db: Session, rnd: ConferenceRound, class_ids: list[int]) -> None:
    """Mentor rounds: the classes' mentors (subject None); subject rounds: their subject teachers."""
    assert rnd.id is not None
    kind = teaches_the_rounds_way(col(ClassTeacher.subject), rnd.meeting_kind)
    rows = db.exec(
        select(Teacher.id, Teacher.default_room)
        .join(ClassTeacher, col(ClassTeacher.teacher_id) == col(Teacher.id))
        .where(col(ClassTeacher.class_id).in_(class_ids), kind, col(Teacher.archived_at).is_(None))
        .distinct()
    ).all()
    present = set(db.exec(select(RoundTeacher.teacher_id).where(RoundTeacher.round_id == rnd.id)).all())
    for teacher_id, room in rows:
        if teacher_id not in present:
            assert teacher_id is not None
            db.add(RoundTeacher(school_id=rnd.school_id, round_id=rnd.id, teacher_id=teacher_id, room=room))


def get_round(db: Session, round_id: object) -> ConferenceRound:
    # an id beyond the database's integer is no round (PostgreSQL would refuse the query itself)
    if not isinstance(round_id, int) or isinstance(round_id, bool) or not 0 < round_id < 2**31:
        raise RoundNotFound()
    rnd = own(db, ConferenceRound, round_id)
    if rnd is None:
        raise RoundNotFound()
    return rnd


def update_window(
    db: Session,
    *,
    actor: Actor,
    round_id: int,
    opens_at: datetime,
    closes_at: datetime,
    cancel_until: datetime | None,
    family_gap_minutes: int,
) -> None:
    actor.require_admin()
    rnd = get_round(db, round_id)
    if opens_at >= closes_at:
        raise _invalid("window")
    if cancel_until is not None and cancel_until > closes_at:
        raise _invalid("cancel_until")
    if not 0 <= family_gap_minutes <= 120:
        raise _invalid("gap_minutes")
    rnd.booking_opens_at, rnd.booking_closes_at = opens_at, closes_at
    rnd.cancel_until, rnd.family_gap_minutes = cancel_until, family_gap_minutes
    db.add(rnd)
    db.commit()


def set_status(db: Session, *, actor: Actor, round_id: int, status: str) -> None:
    """Open (billing may refuse), close or archive a round."""
    actor.require_admin()
    if status not in ("draft", "open", "closed", "archived"):
        raise _invalid("status")
    rnd = get_round(db, round_id)
    if status == "open":
        ensure_school_may_open_rounds(db, school_id=actor.school_id)
    rnd.status = status
    db.add(rnd)
    db.commit()


def set_teacher_room(db: Session, *, actor: Actor, round_id: int, teacher_id: int, room: str | None) -> None:
    actor.require_admin()
    row = _round_teacher(db, round_id, teacher_id)
    cleaned = " ".join((room or "").split())[:60]
    row.room = cleaned or None
    db.add(row)
    db.commit()


def set_availability(
    db: Session,
    *,
    actor: Actor,
    round_id: int,
    teacher_id: int,
    day_id: int,
    absent: bool,
    starts_at: time | None = None,
    ends_at: time | None = None,
) -> None:
    """A teacher's hours on one day (absent, or a narrower window); free slots outside it are removed."""
    actor.require_admin()
    _round_teacher(db, round_id, teacher_id)
    _day(db, round_id, day_id)
    if starts_at is not None and ends_at is not None and starts_at >= ends_at:
        raise _invalid("day_times")
    row = db.exec(
        select(TeacherAvailability).where(
            TeacherAvailability.day_id == day_id, TeacherAvailability.teacher_id == teacher_id
        )
    ).first() or TeacherAvailability(
        school_id=actor.school_id, round_id=round_id, day_id=day_id, teacher_id=teacher_id
    )
    row.absent, row.starts_at, row.ends_at = bool(absent), starts_at, ends_at
    db.add(row)
    db.flush()
    sync_slots(db, round_id=round_id)
    db.commit()


def add_break(
    db: Session, *, actor: Actor, round_id: int, teacher_id: int, day_id: int, starts_at: time, ends_at: time
) -> None:
    actor.require_admin()
    _round_teacher(db, round_id, teacher_id)
    _day(db, round_id, day_id)
    if starts_at >= ends_at:
        raise _invalid("day_times")
    db.add(
        TeacherBreak(
            school_id=actor.school_id,
            round_id=round_id,
            day_id=day_id,
            teacher_id=teacher_id,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    )
    db.flush()
    sync_slots(db, round_id=round_id)
    db.commit()


def _round_teacher(db: Session, round_id: int, teacher_id: int) -> RoundTeacher:
    get_round(db, round_id)
    row = db.exec(
        select(RoundTeacher).where(RoundTeacher.round_id == round_id, RoundTeacher.teacher_id == teacher_id)
    ).first()
    if row is None:
        raise _invalid("teacher")
    return row


def _day(db: Session, round_id: int, day_id: int) -> RoundDay:
    day = own(db, RoundDay, day_id)
    if day is None or day.round_id != round_id:
        raise _invalid("days")
    return day
