"""The parent's grid never offers what booking refuses, over generated rounds (hypothesis).

Each case builds a school through the real services: 1-2 evenings, a slot length of 5-20 minutes, a family
gap of 0/5/10, 2-4 teachers in rooms of their own or shared (some start five minutes later, so their times
cross the others'), a mentor or subject round, a family of 1-3 children (one household, or separated
parents with each child met jointly or per household), the family's and other families' bookings around
them; then the moment the parent looks: the booking window open, past the cancel deadline (a booked
meeting can no longer be moved), or closed. Then for every meeting of the acting parent's children, each
time the grid offers is booked (or the meeting moved to it) through the real service and put back, and a
booked meeting shown as changeable is one the parent can cancel; every time the grid leaves out is
refused by booking too (so a grid that offers nothing cannot pass); marks and overlaps are checked against
the family's conversations worked out here from who attends them, not by the services.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, delete, select, update

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import (
    Booking,
    ClassTeacher,
    ConferenceRound,
    Guardian,
    Household,
    Membership,
    Pupil,
    PupilGuardian,
    Role,
    RoundDay,
    School,
    SchoolClass,
    Slot,
    Teacher,
    TeacherAvailability,
    User,
)
from ogp_app.models.base import utcnow
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.errors import DomainError
from ogp_app.services.rounds import Actor
from ogp_app.services.rounds.booking import book, cancel, rebook
from ogp_app.services.rounds.clock import hhmm
from ogp_app.services.rounds.errors import CancelDeadlinePassed
from ogp_app.services.rounds.people import teachers_to_meet
from ogp_app.services.rounds.setup import (
    DayInput,
    RoundInput,
    create_round,
    get_round,
    set_status,
)
from ogp_app.services.rounds.slots import sync_slots
from ogp_app.services.rounds.views import Meeting, free_slots, parent_rounds

FIRST_DAY = date.today() + timedelta(days=14)
CLASSES = 2
T = TypeVar("T")
PICK = st.integers(0, 50)  # an index into whatever list it picks from (modulo its length)


@dataclass(frozen=True)
class TeacherPlan:
    room: int | None  # "Lokaal <n>": two teachers may share one; None: no room set
    classes: frozenset[int]  # the classes this teacher meets in the round's way
    late: bool  # starts five minutes after the evening does


@dataclass(frozen=True)
class Case:
    days: int
    slot_minutes: int
    slots_per_day: int
    gap: int
    kind: str
    teachers: tuple[TeacherPlan, ...]
    children: tuple[tuple[int, bool], ...]  # (class, met per household when the parents are separated)
    separated: bool
    acting: int  # which household's parent looks at the grid (separated parents)
    family_bookings: tuple[tuple[int, int, int, int], ...]  # (child, teacher pick, slot pick, household)
    other_bookings: tuple[tuple[int, int, int], ...]  # another family's child: (class, teacher, slot)
    moment: str = "open"  # when the parent looks: "open", "past the cancel deadline", "closed"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    children = draw(st.lists(st.tuples(st.integers(0, CLASSES - 1), st.booleans()), min_size=1, max_size=3))
    teacher = st.builds(
        TeacherPlan,
        room=st.none() | st.integers(0, 2),
        classes=st.frozensets(st.integers(0, CLASSES - 1), min_size=1),
        late=st.booleans(),
    )
    family_booking = st.tuples(st.integers(0, len(children) - 1), PICK, PICK, st.integers(0, 1))
    return Case(
        days=draw(st.integers(1, 2)),
        slot_minutes=draw(st.integers(5, 20)),
        slots_per_day=draw(st.integers(2, 5)),
        gap=draw(st.sampled_from([0, 5, 10])),
        kind=draw(st.sampled_from(["mentor", "subject"])),
        teachers=tuple(draw(st.lists(teacher, min_size=2, max_size=4))),
        children=tuple(children),
        separated=draw(st.booleans()),
        acting=draw(st.integers(0, 1)),
        family_bookings=tuple(draw(st.lists(family_booking, max_size=5))),
        other_bookings=tuple(draw(st.lists(st.tuples(st.integers(0, CLASSES - 1), PICK, PICK), max_size=6))),
        moment=draw(st.sampled_from(["open", "open", "past the cancel deadline", "closed"])),
    )


@dataclass
class World:
    school_id: int
    round_id: int
    parents: list[tuple[Actor, int]] = field(default_factory=list)  # the family's: (parent, household)
    per_household: set[int] = field(default_factory=set)  # the family's children met per household


def _at(minutes: int) -> time:
    return time(19 + minutes // 60, minutes % 60)


_serial = itertools.count(1)


@dataclass
class Roster:
    """Writes one case's school, people and classes in one transaction (flushes for the ids; a commit
    per row, as the factory does, made building a case slower than checking it)."""

    db: Session
    school_id: int = 0

    def add(self, row: T) -> T:
        self.db.add(row)
        self.db.flush()
        return row

    def person(self, role: Role) -> Actor:
        n = next(_serial)
        user = self.add(
            User(email=f"grid-prop-{n}-{secrets.token_hex(4)}@example.org", display_name=f"P {n}")
        )
        assert user.id is not None
        self.add(Membership(school_id=self.school_id, user_id=user.id, role=role.value))
        return Actor(
            user.id, self.school_id, is_admin=role == Role.SCHOOL_ADMIN, is_parent=role == Role.PARENT
        )

    def guardian(self, parent: Actor, household_id: int | None = None) -> Guardian:
        if household_id is None:
            household_id = self.add(Household(school_id=self.school_id, label="Gezin")).id
        assert household_id is not None
        return self.add(
            Guardian(
                school_id=self.school_id,
                household_id=household_id,
                display_name="Ouder",
                email=f"ouder-{parent.user_id}@example.org",
                user_id=parent.user_id,
            )
        )

    def pupil(self, class_id: int, guardians: list[Guardian], mode: str = "joint") -> int:
        kid = self.add(
            Pupil(
                school_id=self.school_id,
                first_name=f"Kind{next(_serial)}",
                last_name="Jansen",
                class_id=class_id,
                meeting_mode=mode,
            )
        )
        assert kid.id is not None
        for g in guardians:
            assert g.id is not None
            self.add(PupilGuardian(school_id=self.school_id, pupil_id=kid.id, guardian_id=g.id))
        return kid.id


def _build(db: Session, case: Case) -> tuple[World, list[int], list[int]]:
    """The school, its round (opened) and the family; returns the family's children and the classes."""
    school = School(name="School", slug=f"grid-prop-{next(_serial)}-{secrets.token_hex(4)}", status="active")
    roster = Roster(db)
    roster.school_id = roster.add(school).id or 0
    admin = roster.person(Role.SCHOOL_ADMIN)
    classes = [
        roster.add(SchoolClass(school_id=roster.school_id, name=f"Groep {c}")).id or 0 for c in range(CLASSES)
    ]
    teachers = []
    for i, plan in enumerate(case.teachers):
        room = None if plan.room is None else f"Lokaal {plan.room}"
        teacher = roster.add(
            Teacher(
                school_id=roster.school_id,
                display_name=f"Leerkracht {i}",
                email=f"t{i}@example.org",
                default_room=room,
            )
        )
        assert teacher.id is not None
        for c in sorted(plan.classes):
            subject = f"Vak {i}" if case.kind == "subject" else None
            roster.add(
                ClassTeacher(
                    school_id=roster.school_id, class_id=classes[c], teacher_id=teacher.id, subject=subject
                )
            )
        teachers.append((teacher.id, plan))
    world = World(roster.school_id, 0)
    guardians = []
    for _ in range(2 if case.separated else 1):
        parent = roster.person(Role.PARENT)
        guardians.append(roster.guardian(parent))
        world.parents.append((parent, guardians[-1].household_id))
    taught = sorted({c for plan in case.teachers for c in plan.classes})  # every child meets a teacher
    children = []
    for c, per_household in case.children:
        mode = "per_household" if per_household and case.separated else "joint"
        children.append(roster.pupil(classes[taught[c % len(taught)]], guardians, mode))
        if mode == "per_household":
            world.per_household.add(children[-1])
    db.commit()
    length = case.slot_minutes * case.slots_per_day
    with school_session(world.school_id) as scoped:
        world.round_id = create_round(
            scoped,
            actor=admin,
            data=RoundInput(
                name="Ronde",
                class_ids=classes,
                days=[DayInput(FIRST_DAY + timedelta(days=d), _at(0), _at(length)) for d in range(case.days)],
                meeting_kind=case.kind,
                slot_minutes=case.slot_minutes,
                family_gap_minutes=case.gap,
                booking_opens_at=utcnow() - timedelta(hours=1),
                booking_closes_at=utcnow() + timedelta(days=7),
                cancel_until=utcnow() + timedelta(days=6),
            ),
        )
        days = scoped.exec(select(RoundDay.id).where(RoundDay.round_id == world.round_id)).all()
        for (teacher_id, plan), day_id in itertools.product(teachers, days):
            if plan.late and day_id is not None:  # five minutes later: times that cross the others'
                scoped.add(
                    TeacherAvailability(
                        school_id=world.school_id,
                        round_id=world.round_id,
                        day_id=day_id,
                        teacher_id=teacher_id,
                        starts_at=_at(5),
                        ends_at=_at(length + 5),
                    )
                )
        scoped.flush()
        sync_slots(scoped, round_id=world.round_id)  # as set_availability does
        scoped.commit()
        set_status(scoped, actor=admin, round_id=world.round_id, status="open")
    return world, children, classes


def _book_around(db: Session, world: World, case: Case, children: list[int], classes: list[int]) -> None:
    """The family's bookings, then other families' (each through the real service, as a parent tries)."""
    for child, teacher_pick, slot_pick, household in case.family_bookings:
        parent = world.parents[household % len(world.parents)][0]
        _try_to_book(world, parent, children[child], teacher_pick, slot_pick)
    roster = Roster(db, world.school_id)
    others = []
    for c, teacher_pick, slot_pick in case.other_bookings:
        parent = roster.person(Role.PARENT)
        others.append((parent, roster.pupil(classes[c], [roster.guardian(parent)]), teacher_pick, slot_pick))
    db.commit()
    for parent, kid, teacher_pick, slot_pick in others:
        _try_to_book(world, parent, kid, teacher_pick, slot_pick)


def _try_to_book(world: World, parent: Actor, pupil_id: int, teacher_pick: int, slot_pick: int) -> None:
    """A booking as a parent would try it: refused ones (taken, too close, already booked) are skipped."""
    with school_session(world.school_id) as db:
        rnd = get_round(db, world.round_id)
        class_id = db.exec(select(Pupil.class_id).where(Pupil.id == pupil_id)).one()
        teachers = teachers_to_meet(db, rnd=rnd, class_id=class_id)
        if not teachers:
            return
        teacher_id = sorted(teachers)[teacher_pick % len(teachers)]
        slots = db.exec(
            select(Slot.id)
            .where(Slot.round_id == world.round_id, Slot.teacher_id == teacher_id, Slot.status == "free")
            .order_by(col(Slot.starts_at))
        ).all()
        with contextlib.suppress(DomainError, ZeroDivisionError):  # no free slot: nothing to book
            book(db, actor=parent, slot_id=slots[slot_pick % len(slots)], pupil_id=pupil_id, send_mail=False)


@dataclass(frozen=True)
class Held:
    """An active conversation: who it is for, and so which households attend it."""

    booking_id: int
    pupil_id: int
    household_key: int
    teacher_id: int
    starts_at: datetime
    ends_at: datetime


def _conversations(world: World) -> tuple[list[Held], dict[int, set[int]]]:
    """The round's active conversations, and each pupil's households (from its guardians)."""
    with school_session(world.school_id) as db:
        rows = db.exec(
            select(Booking, Slot)
            .join(Slot, col(Slot.id) == col(Booking.slot_id))
            .where(Booking.round_id == world.round_id, col(Booking.cancelled_at).is_(None))
        ).all()
        links = db.exec(
            select(PupilGuardian.pupil_id, Guardian.household_id).join(
                Guardian, col(Guardian.id) == col(PupilGuardian.guardian_id)
            )
        ).all()
    households: dict[int, set[int]] = {}
    for pupil_id, household_id in links:
        households.setdefault(pupil_id, set()).add(household_id)
    held = [
        Held(b.id or 0, b.pupil_id, b.household_key, b.teacher_id, s.starts_at, s.ends_at) for b, s in rows
    ]
    return held, households


def _attending(households: dict[int, set[int]], pupil_id: int, household_key: int) -> set[int]:
    """A joint conversation is attended by every household of the pupil; a per-household one by one."""
    return households[pupil_id] if household_key == JOINT_HOUSEHOLD_KEY else {household_key}


def _put_back(new_id: int, moved_from: int | None) -> None:
    with unscoped() as db:
        db.exec(delete(Booking).where(col(Booking.id) == new_id))
        if moved_from is not None:
            db.exec(
                update(Booking)
                .where(col(Booking.id) == moved_from)
                .values(cancelled_at=None, cancelled_by_user_id=None, confirmation_pending=False)
            )
        db.commit()


def _book_or_move(world: World, parent: Actor, pupil_id: int, booking_id: int | None, slot_id: int) -> int:
    """What the page does with a chosen time: book it, or move the meeting's booking to it."""
    with school_session(world.school_id) as db:
        if booking_id is None:
            return book(db, actor=parent, slot_id=slot_id, pupil_id=pupil_id, send_mail=False)
        return rebook(db, actor=parent, booking_id=booking_id, slot_id=slot_id, send_mail=False)


def _check_cancel_as_shown(world: World, parent: Actor, booking_id: int, *, shown_changeable: bool) -> None:
    """/book shows "Afzeggen" exactly when cancelling works (then the booking is put back)."""
    try:
        with school_session(world.school_id) as db:
            cancel(db, actor=parent, booking_id=booking_id)
    except CancelDeadlinePassed:
        assert not shown_changeable, f"booking {booking_id} shown as changeable, cancelling refused"
        return
    assert shown_changeable, f"booking {booking_id} shown as past the deadline, yet cancelled"
    with unscoped() as db:
        db.exec(update(Booking).where(col(Booking.id) == booking_id).values(cancelled_at=None))
        db.commit()


def _check_grids(world: World, parent: Actor, household: int) -> None:
    with school_session(world.school_id) as db:
        [rnd] = parent_rounds(db, actor=parent, now=utcnow())
    held, households = _conversations(world)
    for child in rnd.children:
        key = household if child.pupil_id in world.per_household else JOINT_HOUSEHOLD_KEY
        ours = _attending(households, child.pupil_id, key)
        for meeting in child.meetings:
            family = [  # the conversations this child's household(s) attend, but the one to move
                h
                for h in held
                if h.booking_id != meeting.booking_id
                and ours & _attending(households, h.pupil_id, h.household_key)
            ]
            with school_session(world.school_id) as db:
                days = free_slots(
                    db,
                    actor=parent,
                    round_id=world.round_id,
                    pupil_id=child.pupil_id,
                    teacher_id=meeting.teacher_id,
                    now=utcnow(),
                )
            if meeting.booking_id is not None:
                _check_cancel_as_shown(world, parent, meeting.booking_id, shown_changeable=meeting.changeable)
            for option in (s for day in days for s in day.slots):
                shown = f"{child.name} with teacher {meeting.teacher_id} at {hhmm(option.starts_at)}"
                family_at = [
                    (hhmm(h.starts_at), hhmm(h.ends_at), h.teacher_id)
                    for h in family
                    if h.starts_at.date() == option.starts_at.date()
                ]
                overlapping = [
                    h for h in family if h.starts_at < option.ends_at and h.ends_at > option.starts_at
                ]
                assert not overlapping, f"offered {shown} overlaps the family's {family_at}"
                next_to = any(h.ends_at == option.starts_at or h.starts_at == option.ends_at for h in family)
                assert option.suggested == next_to, (
                    f"{shown} marked back-to-back: {option.suggested}, next to the family's {family_at}"
                )
                try:
                    new = _book_or_move(world, parent, child.pupil_id, meeting.booking_id, option.slot_id)
                except DomainError as refused:
                    raise AssertionError(
                        f"offered {shown} refused: {type(refused).__name__}; family {family_at}"
                    ) from refused
                _put_back(new, meeting.booking_id)
                event("offered next to the family" if next_to else "offered")
            offered = {s.slot_id for day in days for s in day.slots}
            _check_left_out_is_refused(world, parent, child.pupil_id, meeting, offered)
            event("a meeting to move" if meeting.booking_id else "a meeting to book")


def _check_left_out_is_refused(
    world: World, parent: Actor, pupil_id: int, meeting: Meeting, offered: set[int]
) -> None:
    """The other half: every time of the teacher the grid leaves out, booking refuses too (a grid that
    offers too little strands a family as surely as one that offers too much)."""
    with school_session(world.school_id) as db:
        slots = db.exec(
            select(Slot.id, Slot.starts_at).where(
                Slot.round_id == world.round_id, Slot.teacher_id == meeting.teacher_id
            )
        ).all()
    for slot_id, starts_at in slots:
        if slot_id in offered or slot_id == meeting.slot_id:  # moving onto its own time changes nothing
            continue
        try:
            new = _book_or_move(world, parent, pupil_id, meeting.booking_id, slot_id or 0)
        except DomainError:
            continue
        _put_back(new, meeting.booking_id)
        event("left out" if offered else "nothing offered")
        raise AssertionError(f"{hhmm(starts_at)} with teacher {meeting.teacher_id} is bookable, not offered")


def _move_the_clock(world: World, moment: str) -> None:
    """Once everyone has booked: the round's deadlines as they stand when the parent looks."""
    now = utcnow()
    deadlines = {
        "open": {},
        "past the cancel deadline": {"cancel_until": now - timedelta(minutes=1)},
        "closed": {"cancel_until": now - timedelta(hours=1), "booking_closes_at": now - timedelta(minutes=1)},
    }[moment]
    if deadlines:
        with unscoped() as db:
            db.exec(
                update(ConferenceRound).where(col(ConferenceRound.id) == world.round_id).values(**deadlines)
            )
            db.commit()


@settings(max_examples=60)
@given(case=cases())
def test_every_time_the_grid_offers_is_bookable_and_marked_truthfully(case: Case) -> None:
    with unscoped() as db:
        world, children, classes = _build(db, case)
        _book_around(db, world, case, children, classes)
    _move_the_clock(world, case.moment)
    event(f"looked at when {case.moment}")
    parent, household = world.parents[case.acting % len(world.parents)]
    _check_grids(world, parent, household)
