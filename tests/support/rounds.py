"""A school with a conference round ready to book: two classes, mentors, a family with two children
across the classes, a separated family and a second parent; built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import text
from sqlmodel import select

from ogp_app.core.db import get_engine, school_session
from ogp_app.models import Guardian, Household, Pupil, Role, School, SchoolClass, Slot, Teacher, User
from ogp_app.models.base import utcnow
from ogp_app.services.rounds import Actor
from ogp_app.services.rounds.setup import DayInput, RoundInput, create_round, set_status
from tests.support.factories import Factory

DAY = date.today() + timedelta(days=14)


@dataclass
class World:
    school: School
    admin: Actor
    teacher_actor: Actor
    parent: Actor  # two children: one per class
    other_parent: Actor  # one child in class A
    mum: Actor  # separated family: household 1
    dad: Actor  # separated family: household 2
    class_a: SchoolClass
    class_b: SchoolClass
    teacher_a: Teacher
    teacher_b: Teacher
    kid_a: Pupil
    kid_b: Pupil
    other_kid: Pupil
    split_kid: Pupil
    mum_household: Household
    dad_household: Household
    round_id: int

    @property
    def school_id(self) -> int:
        assert self.school.id is not None
        return self.school.id

    def slots(self, teacher: Teacher) -> list[Slot]:
        with school_session(self.school_id) as db:
            return list(
                db.exec(
                    select(Slot)
                    .where(Slot.round_id == self.round_id, Slot.teacher_id == teacher.id)
                    .order_by(Slot.starts_at)  # type: ignore[arg-type]
                ).all()
            )


def _actor(user: User, school: School, role: Role) -> Actor:
    assert user.id is not None and school.id is not None
    return Actor(
        user_id=user.id,
        school_id=school.id,
        is_admin=role == Role.SCHOOL_ADMIN,
        is_teacher=role == Role.TEACHER,
        is_parent=role == Role.PARENT,
    )


def _parent(factory: Factory, school: School, household: Household | None = None) -> tuple[Actor, Guardian]:
    user = factory.member(school, Role.PARENT)
    guardian = factory.guardian(school, household, user=user)
    return _actor(user, school, Role.PARENT), guardian


def open_round(
    admin: Actor,
    class_ids: list[int],
    *,
    ends: time = time(20, 0),
    kind: str = "mentor",
    family_gap: int = 0,
    open_now: bool = True,
) -> int:
    """A round of one evening (19:00 to ``ends``, DAY) for ``class_ids``, set open; its id. Booking
    opened an hour ago (``open_now``) or opens tomorrow."""
    now = utcnow()
    opens = now - timedelta(hours=1) if open_now else now + timedelta(days=1)
    with school_session(admin.school_id) as db:
        round_id = create_round(
            db,
            actor=admin,
            data=RoundInput(
                name="Rapportgesprekken",
                class_ids=class_ids,
                days=[DayInput(DAY, time(19, 0), ends)],
                meeting_kind=kind,
                family_gap_minutes=family_gap,
                booking_opens_at=opens,
                booking_closes_at=now + timedelta(days=7),
                cancel_until=now + timedelta(days=6),
            ),
        )
        set_status(db, actor=admin, round_id=round_id, status="open")
    return round_id


def build_world(
    factory: Factory, *, family_gap: int = 0, open_now: bool = True, kind: str = "mentor"
) -> World:
    school = factory.school()
    admin = _actor(factory.member(school, Role.SCHOOL_ADMIN), school, Role.SCHOOL_ADMIN)
    teacher_user = factory.member(school, Role.TEACHER)
    class_a, class_b = factory.school_class(school, "Groep 5"), factory.school_class(school, "Groep 7")
    subject = "Wiskunde" if kind == "subject" else None
    teacher_a = factory.teacher(school, class_a, user=teacher_user, room="Lokaal 5", subject=subject)
    teacher_b = factory.teacher(school, class_b, room="Lokaal 7", subject=subject)
    parent, guardian = _parent(factory, school)
    kid_a = factory.pupil(school, class_a, guardian, first_name="Noah", family_key=1)
    kid_b = factory.pupil(school, class_b, guardian, first_name="Emma", family_key=1)
    other_parent, other_guardian = _parent(factory, school)
    other_kid = factory.pupil(school, class_a, other_guardian, first_name="Liam", family_key=2)
    mum_household, dad_household = factory.household(school), factory.household(school)
    mum, mum_g = _parent(factory, school, mum_household)
    dad, dad_g = _parent(factory, school, dad_household)
    split_kid = factory.pupil(
        school, class_a, mum_g, dad_g, first_name="Julia", family_key=3, meeting_mode="per_household"
    )
    assert class_a.id is not None and class_b.id is not None
    round_id = open_round(
        admin, [class_a.id, class_b.id], kind=kind, family_gap=family_gap, open_now=open_now
    )
    return World(
        school,
        admin,
        _actor(teacher_user, school, Role.TEACHER),
        parent,
        other_parent,
        mum,
        dad,
        class_a,
        class_b,
        teacher_a,
        teacher_b,
        kid_a,
        kid_b,
        other_kid,
        split_kid,
        mum_household,
        dad_household,
        round_id,
    )


def booking_counts(round_id: int) -> tuple[int, int]:
    """Active bookings of the round, and how many times it is double-booked: a slot holding two, or one
    child (per household) booked twice with the same teacher. Raw SQL across schools, as an auditor reads."""
    with get_engine().connect() as conn:
        booked = conn.execute(
            text("SELECT count(*) FROM booking WHERE round_id = :r AND cancelled_at IS NULL"), {"r": round_id}
        ).scalar_one()
        doubles = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM (SELECT slot_id FROM booking WHERE round_id = :r"
                " AND cancelled_at IS NULL GROUP BY slot_id HAVING count(*) > 1) AS s)"
                " + (SELECT count(*) FROM (SELECT pupil_id FROM booking WHERE round_id = :r"
                " AND cancelled_at IS NULL GROUP BY teacher_id, pupil_id, household_key"
                " HAVING count(*) > 1) AS p)"
            ),
            {"r": round_id},
        ).scalar_one()
    return int(booked), int(doubles)
