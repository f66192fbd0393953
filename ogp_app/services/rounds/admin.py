"""The school admin's view of one round: settings per teacher and day, every slot with who booked it,
the pupils the school can book for, and progress. Plus the one change setup.py lacks: removing a break."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from ogp_app.models import (
    Booking,
    Guardian,
    Pupil,
    PupilGuardian,
    RoundClass,
    RoundDay,
    RoundTeacher,
    SchoolClass,
    Slot,
    Teacher,
    TeacherAvailability,
    TeacherBreak,
)
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.errors import RoundInvalid
from ogp_app.services.rounds.lookup import own
from ogp_app.services.rounds.people import full_name
from ogp_app.services.rounds.progress import ClassFamilies, families_not_booked
from ogp_app.services.rounds.setup import get_round
from ogp_app.services.rounds.slots import sync_slots


@dataclass(frozen=True)
class BreakRow:
    break_id: int
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class AdminSlot:
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    status: str  # free, blocked, booked
    booking_id: int | None = None
    pupil: str = ""
    can_double: bool = False


@dataclass(frozen=True)
class AdminDay:
    day_id: int
    day: date
    starts_at: time
    ends_at: time
    absent: bool = False
    own_start: time | None = None  # a narrower window for this teacher on this day
    own_end: time | None = None
    breaks: list[BreakRow] = field(default_factory=list)
    slots: list[AdminSlot] = field(default_factory=list)


@dataclass(frozen=True)
class AdminTeacher:
    teacher_id: int
    name: str
    room: str
    days: list[AdminDay]


@dataclass(frozen=True)
class PupilChoice:
    """One bookable party: a pupil (joint meeting) or a pupil's household (a meeting per household)."""

    pupil_id: int
    household_id: int | None
    label: str


@dataclass(frozen=True)
class RoundAdmin:
    round_id: int
    name: str
    status: str
    slot_minutes: int
    family_gap_minutes: int
    opens_at: datetime | None
    closes_at: datetime | None
    cancel_until: datetime | None
    teachers: list[AdminTeacher]
    pupils: list[PupilChoice]
    progress: list[ClassFamilies]  # per class with pupils: counts and the families still to book


def round_admin(db: Session, *, actor: Actor, round_id: object) -> RoundAdmin:
    """Everything the admin's round page shows. Another school's round id is simply not found."""
    actor.require_admin()
    rnd = get_round(db, round_id)
    assert rnd.id is not None
    days = db.exec(select(RoundDay).where(RoundDay.round_id == rnd.id).order_by(col(RoundDay.day))).all()
    hours = {
        (a.day_id, a.teacher_id): a
        for a in db.exec(select(TeacherAvailability).where(TeacherAvailability.round_id == rnd.id))
    }
    breaks = db.exec(
        select(TeacherBreak).where(TeacherBreak.round_id == rnd.id).order_by(col(TeacherBreak.starts_at))
    ).all()
    slots = db.exec(
        select(Slot)
        .where(Slot.round_id == rnd.id, col(Slot.status) != "merged")
        .order_by(col(Slot.starts_at))
    ).all()
    booked = {
        b.slot_id: b
        for b in db.exec(
            select(Booking).where(Booking.round_id == rnd.id, col(Booking.cancelled_at).is_(None))
        )
    }
    pupils = {
        p.id: p
        for p in db.exec(select(Pupil).where(col(Pupil.id).in_([b.pupil_id for b in booked.values()])))
    }
    by_start = {(s.teacher_id, s.starts_at): s for s in slots}
    teachers = db.exec(
        select(RoundTeacher, Teacher.display_name)
        .join(Teacher, col(Teacher.id) == col(RoundTeacher.teacher_id))
        .where(RoundTeacher.round_id == rnd.id)
        .order_by(col(Teacher.display_name))
    ).all()
    out: list[AdminTeacher] = []
    for rt, name in teachers:
        tid = rt.teacher_id
        admin_days = []
        for day in days:
            assert day.id is not None
            own_hours = hours.get((day.id, tid))
            rows = []
            for s in slots:
                if s.teacher_id != tid or s.day_id != day.id:
                    continue
                assert s.id is not None
                b = booked.get(s.id)
                nxt = by_start.get((tid, s.ends_at))
                can_double = (
                    b is None
                    and s.status == "free"
                    and nxt is not None
                    and nxt.status == "free"
                    and nxt.id not in booked
                )
                if b is not None:
                    rows.append(
                        AdminSlot(s.id, s.starts_at, s.ends_at, "booked", b.id, full_name(pupils[b.pupil_id]))
                    )
                else:
                    status = "free" if s.status == "free" else "blocked"
                    rows.append(AdminSlot(s.id, s.starts_at, s.ends_at, status, can_double=can_double))
            admin_days.append(
                AdminDay(
                    day.id,
                    day.day,
                    day.starts_at,
                    day.ends_at,
                    bool(own_hours and own_hours.absent),
                    own_hours.starts_at if own_hours else None,
                    own_hours.ends_at if own_hours else None,
                    [
                        BreakRow(b.id or 0, b.starts_at, b.ends_at)
                        for b in breaks
                        if b.teacher_id == tid and b.day_id == day.id
                    ],
                    rows,
                )
            )
        out.append(AdminTeacher(tid, name, rt.room or "", admin_days))
    return RoundAdmin(
        rnd.id,
        rnd.name,
        rnd.status,
        rnd.slot_minutes,
        rnd.family_gap_minutes,
        rnd.booking_opens_at,
        rnd.booking_closes_at,
        rnd.cancel_until,
        out,
        _pupil_choices(db, round_id=rnd.id),
        [c for c in families_not_booked(db, actor=actor, round_id=rnd.id) if c.pupils],
    )


def _pupil_choices(db: Session, *, round_id: int) -> list[PupilChoice]:
    """Pupils of the round's classes; a pupil with a meeting per household once per household."""
    classes = {c.id: c.name for c in db.exec(select(SchoolClass))}
    pupils = db.exec(
        select(Pupil)
        .join(RoundClass, col(RoundClass.class_id) == col(Pupil.class_id))
        .where(RoundClass.round_id == round_id, col(Pupil.archived_at).is_(None))
        .order_by(col(Pupil.first_name), col(Pupil.last_name), col(Pupil.id))
    ).all()
    split = [p.id for p in pupils if p.meeting_mode == "per_household"]
    households: dict[int, dict[int, list[str]]] = {}
    for pupil_id, household_id, name in db.exec(
        select(PupilGuardian.pupil_id, Guardian.household_id, Guardian.display_name)
        .join(Guardian, col(Guardian.id) == col(PupilGuardian.guardian_id))
        .where(col(PupilGuardian.pupil_id).in_(split), col(Guardian.archived_at).is_(None))
        .order_by(col(Guardian.display_name))
    ).all():
        households.setdefault(pupil_id, {}).setdefault(household_id, []).append(name)
    out = []
    for p in pupils:
        assert p.id is not None
        label = f"{full_name(p)} ({classes.get(p.class_id, '')})"
        if p.meeting_mode != "per_household":
            out.append(PupilChoice(p.id, None, label))
            continue
        for household_id, names in sorted(households.get(p.id, {}).items()):
            out.append(PupilChoice(p.id, household_id, f"{label} · {', '.join(names)}"))
    return out


def remove_break(db: Session, *, actor: Actor, round_id: int, break_id: object) -> None:
    """Take a break out again; the slots it covered come back (booked slots are never touched)."""
    actor.require_admin()
    get_round(db, round_id)
    row = own(db, TeacherBreak, break_id)
    if row is None or row.round_id != round_id:
        raise RoundInvalid("break", message_key="rounds.error.break_not_found")
    db.delete(row)
    db.flush()
    sync_slots(db, round_id=round_id)
    db.commit()


__all__ = [
    "AdminDay",
    "AdminSlot",
    "AdminTeacher",
    "BreakRow",
    "PupilChoice",
    "RoundAdmin",
    "remove_break",
    "round_admin",
]
