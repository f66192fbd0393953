"""Reminder mail: the day before a conversation (a cross-school job), and "please book" for families."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from ogp_app.core.db import school_session
from ogp_app.core.settings import get_settings
from ogp_app.models import Booking, FamilyReminder, School, Slot
from ogp_app.models.base import utcnow
from ogp_app.services.mail.outbox import enqueue
from ogp_app.services.rounds import notify
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.clock import SCHOOL_TZ, format_when, local_instant, to_local
from ogp_app.services.rounds.progress import Contact, families_not_booked
from ogp_app.services.rounds.setup import get_round

DbFactory = Callable[[], AbstractContextManager[Session]]
logger = logging.getLogger(__name__)
REMIND_FROM_HOUR = 8  # the app's own schedule mails no earlier than 08:00 Amsterdam time


def _tomorrow_bounds(now: datetime) -> tuple[datetime, datetime]:
    tomorrow = now.astimezone(SCHOOL_TZ).date() + timedelta(days=1)
    midnight = datetime.min.time()
    return local_instant(tomorrow, midnight), local_instant(tomorrow + timedelta(days=1), midnight)


def send_day_before(unscoped_factory: DbFactory, *, now: datetime | None = None) -> int:
    """Queue one reminder per active booking of tomorrow (Amsterdam). Idempotent: each booking is claimed
    with a conditional UPDATE in the same transaction as its mail, so reruns and parallel runs send once."""
    now = now or utcnow()
    start, end = _tomorrow_bounds(now)
    with unscoped_factory() as db:
        due = db.exec(
            select(Booking.id, Booking.school_id)
            .join(Slot, col(Slot.id) == col(Booking.slot_id))
            .where(
                col(Booking.cancelled_at).is_(None),
                col(Booking.reminder_sent_at).is_(None),
                col(Slot.starts_at) >= start,
                col(Slot.starts_at) < end,
            )
            .order_by(col(Booking.id))
        ).all()
    queued = 0
    for booking_id, school_id in due:
        with school_session(school_id) as db:
            claimed = db.exec(
                update(Booking)
                .where(
                    col(Booking.id) == booking_id,
                    col(Booking.reminder_sent_at).is_(None),
                    col(Booking.cancelled_at).is_(None),
                )
                .values(reminder_sent_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                db.rollback()
                continue
            booking = db.get(Booking, booking_id)
            assert booking is not None
            notify.reminder(db, booking=booking)
            db.commit()
            queued += 1
    return queued


def reminders_due(now: datetime) -> bool:
    """Whether the scheduled job sends now: from 08:00 (Amsterdam) on, so nobody is mailed at night."""
    return to_local(now).hour >= REMIND_FROM_HOUR


def send_day_before_if_due(unscoped_factory: DbFactory, *, now: datetime | None = None) -> int:
    now = now or utcnow()
    return send_day_before(unscoped_factory, now=now) if reminders_due(now) else 0


def remind_unbooked(
    db: Session, *, actor: Actor, round_id: object, class_id: object = None, now: datetime | None = None
) -> int:
    """Mail the families who have not booked (``progress.families_not_booked``): the whole round, or one
    class. One mail per address, naming that guardian's children still to book; each family's reminder
    is recorded (the pages show when it was last reminded). School admins only. Returns the mails."""
    actor.require_admin()
    now = now or utcnow()
    rnd = get_round(db, round_id)
    school = db.get(School, actor.school_id)
    assert school is not None and rnd.id is not None
    by_address: dict[str, tuple[Contact, list[str]]] = {}
    for group in families_not_booked(db, actor=actor, round_id=round_id, class_id=class_id):
        for family in group.families:
            for contact in family.contacts:
                children = by_address.setdefault(contact.email, (contact, []))[1]
                if family.pupil not in children:
                    children.append(family.pupil)
            if family.contacts:
                db.add(
                    FamilyReminder(
                        school_id=actor.school_id,
                        round_id=rnd.id,
                        pupil_id=family.pupil_id,
                        household_key=family.household_key,
                        sent_at=now,
                        sent_by_user_id=actor.user_id,
                    )
                )
    link = f"{get_settings().public_base_url.rstrip('/')}/book"
    for contact, children in by_address.values():
        language = contact.language
        enqueue(
            db,
            to=contact.email,
            to_name=contact.name,
            template="round_invite",
            language=language,
            context={
                "name": contact.name,
                "school_name": school.name,
                "round_name": rnd.name,
                "closes": format_when(rnd.booking_closes_at, language) if rnd.booking_closes_at else "",
                "children": ", ".join(children),
                "link": link,
            },
            user_id=contact.user_id,
            school_id=actor.school_id,
            flush=False,
        )
    db.commit()
    return len(by_address)
