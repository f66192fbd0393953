"""Many real transactions at once on PostgreSQL: the partial unique indexes let exactly one win.

SQLite serialises writers, so there the race cannot happen; these tests need OGP_TEST_DATABASE_URL.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from sqlalchemy import text
from sqlmodel import col, func, select

from ogp_app.core import db as ogp_db
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, Guardian, OutboxMessage, Pupil, Role
from ogp_app.services.rounds import AlreadyBooked, SlotTaken
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from tests.support.factories import Factory
from tests.support.rounds import World, build_world

pytestmark = pytest.mark.postgres
THREADS = 8  # within the engine's pool (database_pool_size, 10) beside the test's own session, so every
# thread holds a connection at the start


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if ogp_db.get_engine().dialect.name != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (set OGP_TEST_DATABASE_URL)")


def _race(w: World, attempts: list[Callable[..., int]]) -> Counter[str]:
    """Run every attempt in its own thread and transaction, released together by a barrier."""
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(attempt: Callable[..., int]) -> None:
        with school_session(w.school_id) as db:
            db.connection().execute(text("SELECT 1"))  # hold a connection before the start signal
            barrier.wait()
            try:
                attempt(db)
                result = "won"
            except SlotTaken:
                result = "taken"
            except AlreadyBooked:
                result = "already"
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _families(factory: Factory, w: World, count: int) -> list[tuple[Actor, Pupil]]:
    out = []
    for _ in range(count):
        user = factory.member(w.school, Role.PARENT)
        guardian = factory.guardian(w.school, user=user)
        kid = factory.pupil(w.school, w.class_a, guardian)
        assert user.id is not None
        out.append((Actor(user_id=user.id, school_id=w.school_id, is_parent=True), kid))
    return out


def test_many_families_on_one_slot_exactly_one_wins_each_time(factory: Factory) -> None:
    w = build_world(factory)
    families = _families(factory, w, THREADS)
    for slot in w.slots(w.teacher_a)[:4]:
        outcomes = _race(
            w,
            [partial(book, actor=a, slot_id=slot.id, pupil_id=p.id, send_mail=False) for a, p in families],
        )
        assert outcomes == Counter(won=1, taken=THREADS - 1)
        with school_session(w.school_id) as db:
            assert (
                db.exec(
                    select(func.count())
                    .select_from(Booking)
                    .where(Booking.slot_id == slot.id, col(Booking.cancelled_at).is_(None))
                ).one()
                == 1
            )
        # the winner's family leaves the race: cancel their booking data by giving them a fresh kid
        families = _families(factory, w, THREADS)


def test_one_pupil_racing_for_many_slots_gets_one_conversation_per_teacher(factory: Factory) -> None:
    w = build_world(factory)
    slots = w.slots(w.teacher_a)
    outcomes = _race(
        w,
        [
            partial(
                book, actor=w.parent, slot_id=slots[i % len(slots)].id, pupil_id=w.kid_a.id, send_mail=False
            )
            for i in range(THREADS)
        ],
    )
    assert outcomes["won"] == 1 and outcomes["won"] + outcomes["already"] + outcomes["taken"] == THREADS
    with school_session(w.school_id) as db:
        assert (
            db.exec(
                select(func.count())
                .select_from(Booking)
                .where(Booking.pupil_id == w.kid_a.id, col(Booking.cancelled_at).is_(None))
            ).one()
            == 1
        )


def test_mail_workers_side_by_side_confirm_each_booking_once(factory: Factory) -> None:
    """The booking commits with its confirmation pending; several mail workers claim it at once."""
    w = build_world(factory)
    families = _families(factory, w, 6)
    slots = w.slots(w.teacher_a)
    with school_session(w.school_id) as db:
        for (actor, kid), slot in zip(families, slots, strict=False):
            book(db, actor=actor, slot_id=slot.id, pupil_id=kid.id)
    barrier = threading.Barrier(4)
    claimed: list[int] = []

    def worker() -> None:
        barrier.wait()
        claimed.append(render_pending_confirmations())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(claimed) == len(families)
    with unscoped() as db:
        sent = db.exec(
            select(OutboxMessage.to_email).where(OutboxMessage.template == "booking_confirmed")
        ).all()
    assert Counter(sent) == Counter(_emails(factory, families))  # one confirmation per family, no more


def _emails(factory: Factory, families: list[tuple[Actor, Pupil]]) -> list[str]:
    return [
        factory.session.exec(select(Guardian.email).where(Guardian.user_id == actor.user_id)).one()
        for actor, _kid in families
    ]
