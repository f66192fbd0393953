"""The running app queues the day-before reminders itself: from 08:00, once per booking, however many
workers run the job at the same moment (the concurrent part needs PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading
from datetime import time, timedelta

import pytest
from sqlmodel import col, delete, select, update

from ogp_app.background import JOBS, Job, queue_reminders, repeat, run_background_jobs
from ogp_app.core import db as ogp_db
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, OutboxMessage
from ogp_app.ogp_app import app
from ogp_app.services.rounds import reminders
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.clock import local_instant
from ogp_app.services.rounds.reminders import send_day_before, send_day_before_if_due
from tests.support.factories import Factory
from tests.support.rounds import DAY, World, build_world

DAY_BEFORE_MORNING = local_instant(DAY - timedelta(days=1), time(9, 0))


def _book_three(w: World) -> set[int]:
    plan = [
        (w.parent, w.teacher_a, 0, w.kid_a),
        (w.parent, w.teacher_b, 1, w.kid_b),
        (w.other_parent, w.teacher_a, 2, w.other_kid),
    ]
    with school_session(w.school_id) as db:
        return {
            book(db, actor=actor, slot_id=w.slots(teacher)[n].id, pupil_id=kid.id, send_mail=False)
            for actor, teacher, n, kid in plan
        }


def _reminded() -> set[int]:
    """The bookings marked as reminded; the outbox must hold exactly one reminder mail for each (every
    pupil here has one guardian)."""
    with unscoped() as db:
        mails = db.exec(select(OutboxMessage).where(OutboxMessage.template == "booking_reminder")).all()
        bookings = db.exec(select(Booking).where(col(Booking.reminder_sent_at).is_not(None))).all()
    assert len(mails) == len(bookings), f"{len(mails)} reminder mails for {len(bookings)} bookings"
    return {b.id for b in bookings if b.id is not None}


def test_the_app_schedules_the_reminder_job() -> None:
    assert run_background_jobs in app.get_lifespan_tasks()
    assert queue_reminders in [job.round for job in JOBS]


def test_the_scheduled_job_waits_for_the_morning_and_sends_once(factory: Factory) -> None:
    w = build_world(factory)
    booked = _book_three(w)
    night = local_instant(DAY - timedelta(days=1), time(3, 0))
    assert send_day_before_if_due(unscoped, now=night) == 0  # nobody is mailed at night
    assert send_day_before_if_due(unscoped, now=DAY_BEFORE_MORNING) == 3
    assert send_day_before_if_due(unscoped, now=DAY_BEFORE_MORNING + timedelta(minutes=10)) == 0
    assert send_day_before(unscoped, now=DAY_BEFORE_MORNING + timedelta(hours=2)) == 0  # the CLI too
    assert _reminded() == booked


async def _no_pause() -> None:
    pass


def test_the_background_loop_queues_reminders_and_keeps_running(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = build_world(factory)
    booked = _book_three(w)
    calls: list[int] = []

    def send(unscoped_factory: reminders.DbFactory) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away for a moment")  # logged; the loop goes on
        return send_day_before(unscoped_factory, now=DAY_BEFORE_MORNING)

    monkeypatch.setattr(reminders, "send_day_before_if_due", send)

    async def run() -> None:
        task = asyncio.create_task(repeat(Job("reminders", 0.01, queue_reminders), pause=_no_pause))
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert _reminded() == booked


def _worker(barrier: threading.Barrier, queued: list[int]) -> None:
    barrier.wait()
    queued.append(send_day_before(unscoped, now=DAY_BEFORE_MORNING))


@pytest.mark.postgres
def test_two_workers_at_the_same_moment_send_one_reminder_per_booking(factory: Factory) -> None:
    if ogp_db.get_engine().dialect.name != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (set OGP_TEST_DATABASE_URL)")
    w = build_world(factory)
    booked = _book_three(w)
    for _ in range(5):  # several races: both workers see all three bookings due, only one claims each
        barrier = threading.Barrier(2)
        queued: list[int] = []
        threads = [threading.Thread(target=_worker, args=(barrier, queued)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(queued) == 3 and len(queued) == 2
        assert _reminded() == booked
        with unscoped() as db:  # start the next race afresh
            db.exec(delete(OutboxMessage).where(col(OutboxMessage.template) == "booking_reminder"))
            db.exec(update(Booking).values(reminder_sent_at=None))
            db.commit()
