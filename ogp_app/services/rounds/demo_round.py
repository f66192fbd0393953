"""The demo school's open round with a few bookings, so `make run` shows a living product. Idempotent."""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import col, select

from ogp_app.core.db import school_session
from ogp_app.models import ConferenceRound, Membership, Pupil, Role, SchoolClass, Slot
from ogp_app.models.base import utcnow
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.clock import to_local
from ogp_app.services.rounds.people import pupil_households, teachers_to_meet
from ogp_app.services.rounds.setup import DayInput, RoundInput, create_round, set_status

DEMO_ROUND_NAME = "Rapportgesprekken"
# pupil first name -> slot index for the mentor: the Bos children back-to-back, a separated parent, one more
_BOOKINGS = [("Liam", 2), ("Julia", 3), ("Sem", 0), ("Tess", 4)]


def seed_demo_round(school_id: int) -> int:
    """Create the open round and its bookings when the school has no round yet; rows created."""
    with school_session(school_id) as db:
        if db.exec(select(ConferenceRound.id)).first() is not None:
            return 0
        admin_id = db.exec(
            select(Membership.user_id).where(Membership.role == Role.SCHOOL_ADMIN.value)
        ).first()
        class_ids = [c for c in db.exec(select(SchoolClass.id).order_by(col(SchoolClass.name))).all() if c]
        if admin_id is None or not class_ids:
            return 0
        admin = Actor(user_id=admin_id, school_id=school_id, is_admin=True)
        now = utcnow()
        first = to_local(now).date() + timedelta(days=7)
        round_id = create_round(
            db,
            actor=admin,
            data=RoundInput(
                name=DEMO_ROUND_NAME,
                class_ids=class_ids,
                days=[
                    DayInput(first, time(18, 0), time(20, 30)),
                    DayInput(first + timedelta(days=1), time(15, 0), time(17, 0)),
                ],
                booking_opens_at=now - timedelta(days=1),
                booking_closes_at=now + timedelta(days=6),
                cancel_until=now + timedelta(days=5),
            ),
        )
        set_status(db, actor=admin, round_id=round_id, status="open")
        created = 1
        rnd = db.get(ConferenceRound, round_id)
        assert rnd is not None
        for first_name, index in _BOOKINGS:
            pupil = db.exec(select(Pupil).where(Pupil.first_name == first_name)).first()
            if pupil is None or pupil.id is None:
                continue
            households = pupil_households(db, pupil_id=pupil.id)
            for teacher_id in teachers_to_meet(db, rnd=rnd, class_id=pupil.class_id):
                slots = db.exec(
                    select(Slot.id)
                    .where(Slot.round_id == round_id, Slot.teacher_id == teacher_id)
                    .order_by(col(Slot.starts_at))
                ).all()
                book(
                    db,
                    actor=admin,
                    slot_id=slots[index],
                    pupil_id=pupil.id,
                    household_id=households[0] if pupil.meeting_mode == "per_household" else None,
                    note="Graag ook over het rapport" if first_name == "Sem" else None,
                    send_mail=False,
                )
                created += 1
        return created
