"""Bookings and notes of ended rounds are kept only as long as the school chose (default 12 months).

The rounds' days are moved into the past by the test (the data is aged), then ``ogp retention run``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from ogp_app.cli import main as cli
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, ConferenceRound, RoundDay, School, Slot
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.privacy import retention
from ogp_app.services.rounds import booking_retention
from ogp_app.services.rounds.booking import book
from tests.support.factories import Factory
from tests.support.rounds import World, build_world

JOB = "bookings of rounds past the school's period"


def _two_bookings(w: World) -> None:
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id, note="over lezen")
        book(db, actor=w.other_parent, slot_id=w.slots(w.teacher_a)[1].id, pupil_id=w.other_kid.id)


def _age(w: World, days: int) -> None:
    """Move the round's days back: it ended ``days`` ago (plus the evening's hours)."""
    with unscoped() as db:
        for day in db.exec(select(RoundDay).where(RoundDay.round_id == w.round_id)).all():
            day.day = datetime.now(UTC).date() - timedelta(days=days)
            db.add(day)
        db.commit()


def _bookings(w: World) -> list[Booking]:
    with school_session(w.school_id) as db:
        return list(db.exec(select(Booking).where(Booking.round_id == w.round_id)).all())


def test_the_admin_chooses_a_period_others_cannot_and_only_listed_periods_are_accepted(
    factory: Factory,
) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        assert booking_retention.booking_retention(db, school_id=w.school_id) == 12  # the default
        for bad in ("5", 0, -3, "twelve", None, True, 36):
            with pytest.raises(booking_retention.RetentionChoiceInvalid):
                booking_retention.set_booking_retention(
                    db, school_id=w.school_id, admin_user_id=w.admin.user_id, months=bad
                )
        with pytest.raises(PermissionDenied):
            booking_retention.set_booking_retention(
                db, school_id=w.school_id, admin_user_id=w.teacher_actor.user_id, months="3"
            )
        assert booking_retention.booking_retention(db, school_id=w.school_id) == 12
        booking_retention.set_booking_retention(
            db, school_id=w.school_id, admin_user_id=w.admin.user_id, months="6"
        )
    with unscoped() as db:
        school = db.get(School, w.school_id)
        assert school is not None and school.booking_retention_months == 6


def test_retention_deletes_bookings_of_rounds_older_than_each_schools_period(factory: Factory) -> None:
    short, long_, default = build_world(factory), build_world(factory), build_world(factory)
    for w in (short, long_, default):
        _two_bookings(w)
    with school_session(short.school_id) as db:
        booking_retention.set_booking_retention(
            db, school_id=short.school_id, admin_user_id=short.admin.user_id, months=3
        )
    with school_session(long_.school_id) as db:
        booking_retention.set_booking_retention(
            db, school_id=long_.school_id, admin_user_id=long_.admin.user_id, months=24
        )
    # All three rounds ended about 200 days ago: past 3 months, within 12 and 24.
    for w in (short, long_, default):
        _age(w, 200)
    counts = retention.run(unscoped)
    assert counts[JOB] == 2
    assert _bookings(short) == []
    assert len(_bookings(long_)) == 2 and len(_bookings(default)) == 2
    assert any(b.note == "over lezen" for b in _bookings(default))
    # The round and its slots (the school's planning, no person in them) stay.
    with school_session(short.school_id) as db:
        assert db.get(ConferenceRound, short.round_id) is not None
        assert db.exec(select(Slot).where(Slot.round_id == short.round_id)).first() is not None
    assert retention.run(unscoped)[JOB] == 0  # idempotent

    # 400 days: now past the default 12 months too, not past 24. Reported by `ogp retention run`.
    for w in (long_, default):
        _age(w, 400)
    result = CliRunner().invoke(cli, ["retention", "run"])
    assert result.exit_code == 0, result.output
    assert f"{JOB:24} 2" in result.output
    assert _bookings(default) == [] and len(_bookings(long_)) == 2


def test_a_round_that_ended_just_inside_the_period_is_kept(factory: Factory) -> None:
    w = build_world(factory)
    _two_bookings(w)
    with unscoped() as db:
        [end] = db.exec(select(col(RoundDay.day)).where(RoundDay.round_id == w.round_id)).all()
    # The evening ends at 20:00 Amsterdam time (18:00 or 19:00 UTC); a year on at 17:00 UTC, not yet.
    just_before = datetime(end.year + 1, end.month, end.day, 17, 0, tzinfo=UTC)
    assert retention.run(unscoped, now=just_before)[JOB] == 0
    assert retention.run(unscoped, now=just_before + timedelta(days=1))[JOB] == 2
