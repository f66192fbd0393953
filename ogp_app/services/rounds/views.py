"""Read models for the pages: plain dataclasses, never table objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select  # sqlmodel's select takes at most four columns
from sqlmodel import Session, col, select

from ogp_app.models import (
    Booking,
    ClassTeacher,
    ConferenceRound,
    Guardian,
    Pupil,
    PupilGuardian,
    RoundClass,
    RoundDay,
    RoundTeacher,
    SchoolClass,
    Slot,
    Teacher,
)
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import is_id, window_open
from ogp_app.services.rounds.booking_rules import family_may_change, family_may_pick
from ogp_app.services.rounds.errors import RoundNotFound
from ogp_app.services.rounds.grid import DayOptions, group_by_day, own_child_grid
from ogp_app.services.rounds.people import (
    Child,
    children_of,
    full_name,
    names_of_users,
    teacher_id_of,
    teachers_to_meet,
)
from ogp_app.services.rounds.setup import get_round
from ogp_app.services.rounds.statements import family_rules, teaches_the_rounds_way


@dataclass(frozen=True)
class Meeting:
    teacher_id: int
    teacher_name: str
    room: str
    booking_id: int | None = None
    slot_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    note: str = ""
    booked_by: str = ""  # who booked it, when not the viewer (the other parent of a joint meeting)
    changeable: bool = False  # booked, and the family may still cancel or move it (booking_rules)
    mode: str = "on_site"  # on site, online or the family's choice (rounds.online), booked or not


@dataclass(frozen=True)
class ChildPlan:
    pupil_id: int
    name: str
    class_name: str
    meetings: list[Meeting]


@dataclass(frozen=True)
class ParentRound:
    round_id: int
    name: str
    opens_at: datetime | None
    closes_at: datetime | None
    cancel_until: datetime | None
    is_open: bool
    children: list[ChildPlan]


def _rooms(db: Session, round_id: int) -> dict[int, str]:
    return {
        rt.teacher_id: rt.room or ""
        for rt in db.exec(select(RoundTeacher).where(RoundTeacher.round_id == round_id))
    }


def parent_rounds(db: Session, *, actor: Actor, now: datetime) -> list[ParentRound]:
    """Open rounds with the actor's children in them, each child's teachers and own bookings: four
    queries however many rounds and children (a page load in a rush, every parent at once)."""
    kids = children_of(db, user_id=actor.user_id)
    if not kids:
        return []
    class_ids = {k.class_id for k in kids}
    rounds = db.exec(
        select(ConferenceRound)
        .join(RoundClass, col(RoundClass.round_id) == col(ConferenceRound.id))
        .where(ConferenceRound.status == "open", col(RoundClass.class_id).in_(class_ids))
        .distinct()
        .order_by(col(ConferenceRound.id))
    ).all()
    if not rounds:
        return []
    staff = _staff_by_round_and_class(db, rounds, class_ids)
    booked = _meetings_booked(db, [r.id for r in rounds if r.id is not None], kids)
    others = {b.booked_by_user_id for b, _slot in booked.values()} - {actor.user_id, None}
    names = names_of_users(db, {u for u in others if u is not None}) if others else {}
    out = []
    for rnd in rounds:
        assert rnd.id is not None
        plans = []
        for k in kids:
            class_name, teachers = staff.get((rnd.id, k.class_id), ("", []))
            meetings = [_meeting(booked, names, actor, rnd, now, k, *teacher) for teacher in teachers]
            if meetings:
                plans.append(ChildPlan(k.pupil_id, k.full_name, class_name, meetings))
        out.append(
            ParentRound(
                rnd.id,
                rnd.name,
                rnd.booking_opens_at,
                rnd.booking_closes_at,
                rnd.cancel_until,
                window_open(rnd, now),
                plans,
            )
        )
    return out


_Staff = dict[tuple[int, int], tuple[str, list[tuple[int, str, str, str]]]]


def _staff_by_round_and_class(db: Session, rounds: Sequence[ConferenceRound], class_ids: set[int]) -> _Staff:
    """Per (round, class): the class's name and the teachers its pupils meet, as (id, name, room, mode)
    sorted by id. As ``teachers_to_meet``: mentor rounds the class's mentors, subject rounds its subject
    teachers; only teachers in the round, only classes taking part."""
    rows = db.execute(  # through the session: the school scope applies to each of these tables
        sa_select(
            col(RoundClass.round_id),
            col(ClassTeacher.class_id),
            col(ClassTeacher.teacher_id),
            col(Teacher.display_name),
            col(RoundTeacher.room),
            col(SchoolClass.name),
            func.coalesce(col(RoundTeacher.conversation_mode), col(ConferenceRound.conversation_mode)),
        )
        .join(ClassTeacher, col(ClassTeacher.class_id) == col(RoundClass.class_id))
        .join(
            RoundTeacher,
            (col(RoundTeacher.teacher_id) == col(ClassTeacher.teacher_id))
            & (col(RoundTeacher.round_id) == col(RoundClass.round_id)),
        )
        .join(Teacher, col(Teacher.id) == col(ClassTeacher.teacher_id))
        .join(SchoolClass, col(SchoolClass.id) == col(ClassTeacher.class_id))
        .join(ConferenceRound, col(ConferenceRound.id) == col(RoundClass.round_id))
        .where(
            col(RoundClass.round_id).in_([r.id for r in rounds]),
            col(RoundClass.class_id).in_(class_ids),
            teaches_the_rounds_way(col(ClassTeacher.subject), col(ConferenceRound.meeting_kind)),
        )
    ).all()
    found: dict[tuple[int, int], tuple[str, dict[int, tuple[int, str, str, str]]]] = {}
    for round_id, class_id, teacher_id, name, room, class_name, mode in rows:
        teachers = found.setdefault((round_id, class_id), (class_name, {}))[1]
        teachers[teacher_id] = (teacher_id, name, room or "", mode)
    return {key: (name, [t for _id, t in sorted(ts.items())]) for key, (name, ts) in found.items()}


def _meetings_booked(
    db: Session, round_ids: list[int], kids: list[Child]
) -> dict[tuple[int, int, int, int], tuple[Booking, Slot]]:
    """The children's active bookings in the rounds, by (round, pupil, teacher, household key): one query."""
    rows = db.exec(
        select(Booking, Slot)
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .where(
            col(Booking.round_id).in_(round_ids),
            col(Booking.pupil_id).in_({k.pupil_id for k in kids}),
            col(Booking.cancelled_at).is_(None),
        )
    ).all()
    return {(b.round_id, b.pupil_id, b.teacher_id, b.household_key): (b, s) for b, s in rows}


def _meeting(
    booked: dict[tuple[int, int, int, int], tuple[Booking, Slot]],
    names: dict[int, str],
    actor: Actor,
    rnd: ConferenceRound,
    now: datetime,
    kid: Child,
    teacher_id: int,
    name: str,
    room: str,
    mode: str,
) -> Meeting:
    row = booked.get((rnd.id or 0, kid.pupil_id, teacher_id, kid.household_key))
    if row is None:
        return Meeting(teacher_id, name, room, mode=mode)
    booking, slot = row
    by = booking.booked_by_user_id
    return Meeting(
        teacher_id, name, room, booking.id, slot.id, slot.starts_at, slot.ends_at, booking.note or "",
        names.get(by, "") if by is not None and by != actor.user_id else "",
        family_may_change(rnd.cancel_until, slot.starts_at, now), mode,
    )  # fmt: skip


def free_slots(
    db: Session, *, actor: Actor, round_id: object, pupil_id: object, teacher_id: object, now: datetime
) -> list[DayOptions]:
    """Free future slots of one teacher for one of the actor's children, grouped by day."""
    if actor.is_parent and is_id(round_id) and is_id(pupil_id) and is_id(teacher_id):
        ids = {"round_id": round_id, "pupil_id": pupil_id, "teacher_id": teacher_id}
        grid = own_child_grid(db, actor=actor, now=now, **ids)
        if grid is not None:
            return grid
    rnd = get_round(db, round_id)
    kid = next((k for k in children_of(db, user_id=actor.user_id) if k.pupil_id == pupil_id), None)
    if kid is None and not actor.is_school_staff:
        raise PermissionDenied("not your child")
    if kid is not None and teacher_id not in teachers_to_meet(db, rnd=rnd, class_id=kid.class_id):
        raise PermissionDenied("not this child's teacher")
    if rnd.status != "open" and not actor.is_school_staff:
        raise RoundNotFound()
    # Two indexed queries, the booked ones subtracted here: an anti-join against booking needs fresh
    # statistics, and at the start of a rush the planner still believes the school has no bookings
    # (it then scanned all of the school's bookings once per slot).
    slots = db.exec(
        select(Slot)
        .where(
            Slot.round_id == rnd.id,
            Slot.teacher_id == teacher_id,
            Slot.status == "free",
            col(Slot.starts_at) > now,
        )
        .order_by(col(Slot.starts_at))
    ).all()
    taken = set(
        db.exec(
            select(Booking.slot_id).where(
                Booking.round_id == rnd.id,
                Booking.teacher_id == teacher_id,
                col(Booking.cancelled_at).is_(None),
            )
        ).all()
    )
    free = [(s.id or 0, s.day_id, s.starts_at, s.ends_at) for s in slots if s.id not in taken]
    if kid is None or rnd.id is None or not isinstance(teacher_id, int):
        return group_by_day(free, None)
    family = family_rules(
        db,
        round_id=rnd.id,
        pupil_id=kid.pupil_id,
        household_key=kid.household_key,
        teacher_id=teacher_id,
        gap_minutes=rnd.family_gap_minutes,
    )
    if not actor.is_school_staff and not family_may_pick(
        window_open=window_open(rnd, now), cancel_until=rnd.cancel_until, booked=family.booked, now=now
    ):
        return []
    return group_by_day(free, family)


@dataclass(frozen=True)
class EveningRow:
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    status: str  # free, blocked, booked
    booking_id: int | None = None
    pupil: str = ""
    class_name: str = ""
    guardians: str = ""
    note: str = ""


@dataclass(frozen=True)
class Evening:
    round_id: int
    round_name: str
    teacher_name: str
    room: str
    days: list[tuple[object, list[EveningRow]]]


def teacher_evening(db: Session, *, actor: Actor, round_id: object, teacher_id: object = None) -> Evening:
    """A teacher's own timeline; an admin may look at any teacher's."""
    rnd = get_round(db, round_id)
    own_id = teacher_id_of(db, actor) if actor.is_teacher else None
    if actor.is_admin and isinstance(teacher_id, int):
        tid = teacher_id
    elif own_id is not None:
        tid = own_id
    else:
        raise PermissionDenied("teachers only")
    teacher = db.get(Teacher, tid)
    rooms = _rooms(db, rnd.id or 0)
    if teacher is None or tid not in rooms:
        raise RoundNotFound()
    slots = db.exec(
        select(Slot)
        .where(Slot.round_id == rnd.id, Slot.teacher_id == tid, col(Slot.status) != "merged")
        .order_by(col(Slot.starts_at))
    ).all()
    bookings = {
        b.slot_id: b
        for b in db.exec(
            select(Booking).where(
                Booking.round_id == rnd.id, Booking.teacher_id == tid, col(Booking.cancelled_at).is_(None)
            )
        )
    }
    pupils = {
        p.id: p
        for p in db.exec(select(Pupil).where(col(Pupil.id).in_([b.pupil_id for b in bookings.values()])))
    }
    classes = {c.id: c.name for c in db.exec(select(SchoolClass))}
    days = {d.id: d.day for d in db.exec(select(RoundDay).where(RoundDay.round_id == rnd.id))}
    grouped: dict[int, list[EveningRow]] = {}
    for s in slots:
        assert s.id is not None
        b = bookings.get(s.id)
        if b is None:
            row = EveningRow(s.id, s.starts_at, s.ends_at, "free" if s.status == "free" else "blocked")
        else:
            p = pupils[b.pupil_id]
            row = EveningRow(
                s.id,
                s.starts_at,
                s.ends_at,
                "booked",
                b.id,
                full_name(p),
                classes.get(p.class_id, ""),
                _guardian_names(db, b.pupil_id, b.household_key),
                b.note or "",
            )
        grouped.setdefault(s.day_id, []).append(row)
    return Evening(
        rnd.id or 0,
        rnd.name,
        teacher.display_name,
        rooms.get(tid, ""),
        [(days[k], grouped[k]) for k in sorted(grouped, key=lambda i: days[i])],
    )


def _guardian_names(db: Session, pupil_id: int, household_key: int) -> str:
    query = (
        select(Guardian.display_name)
        .join(PupilGuardian, col(PupilGuardian.guardian_id) == col(Guardian.id))
        .where(PupilGuardian.pupil_id == pupil_id, col(Guardian.archived_at).is_(None))
    )
    if household_key != JOINT_HOUSEHOLD_KEY:
        query = query.where(Guardian.household_id == household_key)
    return ", ".join(db.exec(query.order_by(col(Guardian.display_name))).all())


@dataclass(frozen=True)
class RoundSummary:
    round_id: int
    name: str
    status: str
    meeting_kind: str
    slot_minutes: int
    opens_at: datetime | None
    closes_at: datetime | None


def list_rounds(db: Session, *, actor: Actor) -> list[RoundSummary]:
    if not actor.is_school_staff:
        raise PermissionDenied("school staff only")
    return [
        RoundSummary(
            r.id or 0,
            r.name,
            r.status,
            r.meeting_kind,
            r.slot_minutes,
            r.booking_opens_at,
            r.booking_closes_at,
        )
        for r in db.exec(
            select(ConferenceRound)
            .where(col(ConferenceRound.status) != "archived")
            .order_by(col(ConferenceRound.id).desc())
        )
    ]
