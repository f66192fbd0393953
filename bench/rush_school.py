"""The bench school both booking rushes use: classes with a mentor each, one parent account per family
(about one family in four has a second child, in another class), and an open mentor round over two
evenings with enough slots. Built with the models and the round service, like an imported roster."""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ogp_app.core.db import SCOPE_KEY, UNSCOPED_KEY
from ogp_app.models import (
    ClassTeacher,
    Guardian,
    Household,
    Membership,
    Pupil,
    PupilGuardian,
    Role,
    School,
    SchoolClass,
    Teacher,
    User,
)
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.setup import DayInput, RoundInput, create_round, set_status


@contextmanager
def scoped(engine: Engine, school_id: int | None) -> Iterator[Session]:
    """Like ogp_app.core.db.school_session / unscoped (None), on a given engine (a bench sizes its pool)."""
    with Session(engine, expire_on_commit=False) as db:
        if school_id is None:
            db.info[UNSCOPED_KEY] = True
        else:
            db.info[SCOPE_KEY] = school_id
        yield db


def seed(engine: Engine, families: int, class_size: int) -> tuple[int, Actor, list[tuple[Actor, list[int]]]]:
    """A school with classes of class_size pupils; about one family in four has a second child.
    Returns (round id, the school admin, per family its parent and the pupil ids)."""
    tag = secrets.token_hex(4)
    rng = random.Random(7)
    with scoped(engine, None) as db:
        school = School(name=f"Rush {tag}", slug=f"rush-{tag}", status="active")
        db.add(school)
        db.flush()
        sid = school.id
        assert sid is not None
        admin = User(email=f"admin-{tag}@rush.example", display_name="Admin")
        db.add(admin)
        db.flush()
        assert admin.id is not None
        db.add(Membership(school_id=sid, user_id=admin.id, role=Role.SCHOOL_ADMIN.value))
        kids_per_family = [2 if rng.random() < 0.25 else 1 for _ in range(families)]
        n_classes = max(2, -(-sum(kids_per_family) // class_size))
        classes = [SchoolClass(school_id=sid, name=f"Klas {i}") for i in range(n_classes)]
        teachers = [
            Teacher(
                school_id=sid,
                display_name=f"Mentor {i}",
                email=f"m{i}-{tag}@rush.example",
                default_room=f"L{i}",
            )
            for i in range(n_classes)
        ]
        db.add_all([*classes, *teachers])
        db.flush()
        db.add_all(
            ClassTeacher(school_id=sid, class_id=c.id or 0, teacher_id=t.id or 0)
            for c, t in zip(classes, teachers, strict=True)
        )
        users = [User(email=f"f{i}-{tag}@rush.example", display_name=f"Ouder {i}") for i in range(families)]
        households = [Household(school_id=sid, label=f"Gezin {i}") for i in range(families)]
        db.add_all([*users, *households])
        db.flush()
        guardians = [
            Guardian(
                school_id=sid,
                household_id=h.id or 0,
                display_name=u.display_name,
                email=u.email,
                user_id=u.id,
            )
            for u, h in zip(users, households, strict=True)
        ]
        db.add_all(guardians)
        db.add_all(Membership(school_id=sid, user_id=u.id or 0, role=Role.PARENT.value) for u in users)
        db.flush()
        pupils: list[tuple[int, Pupil]] = []
        for f, count in enumerate(kids_per_family):
            for k in range(count):
                class_index = (f + k * 7) % n_classes  # siblings in different classes
                pupils.append(
                    (
                        f,
                        Pupil(
                            school_id=sid,
                            first_name=f"Kind{k}",
                            last_name=f"F{f}",
                            class_id=classes[class_index].id or 0,
                            family_key=f + 1,
                        ),
                    )
                )
        db.add_all(p for _, p in pupils)
        db.flush()
        db.add_all(
            PupilGuardian(school_id=sid, pupil_id=p.id or 0, guardian_id=guardians[f].id or 0)
            for f, p in pupils
        )
        db.commit()
        by_family: dict[int, list[int]] = {}
        for f, p in pupils:
            by_family.setdefault(f, []).append(p.id or 0)
        family_actors = [
            (Actor(user_id=users[f].id or 0, school_id=sid, is_parent=True), by_family[f])
            for f in range(families)
        ]
        class_ids = [c.id or 0 for c in classes]
    admin_actor = Actor(user_id=admin.id, school_id=sid, is_admin=True)
    now = datetime.now(UTC)
    day = date.today() + timedelta(days=10)
    with scoped(engine, sid) as db:
        round_id = create_round(
            db,
            actor=admin_actor,
            data=RoundInput(
                name="Rush",
                class_ids=class_ids,
                days=[
                    DayInput(day, clock(16, 0), clock(21, 0)),
                    DayInput(day + timedelta(days=1), clock(16, 0), clock(21, 0)),
                ],
                booking_opens_at=now - timedelta(minutes=1),
                booking_closes_at=now + timedelta(days=5),
            ),
        )
        set_status(db, actor=admin_actor, round_id=round_id, status="open")
    if engine.dialect.name == "postgresql":  # roster and round are set up well before a rush:
        # autovacuum has analysed them by then (bookings start from the statistics of before the rush)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return round_id, admin_actor, family_actors
