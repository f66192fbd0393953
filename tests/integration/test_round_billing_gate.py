"""Opening a round asks billing: trial and paid schools may, a school past its grace period without a paid
plan may not and is told why; nothing else (closing, bookings) depends on billing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ogp_app.components.notice import error_notice
from ogp_app.core.db import school_session, unscoped
from ogp_app.i18n import catalog
from ogp_app.models import ConferenceRound, School, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services.billing import BillingRestricted
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.setup import set_status
from tests.support.factories import Factory
from tests.support.rounds import World, build_world


def _plan(w: World, status: str, *, trouble_days_ago: int | None = None) -> None:
    now = utcnow()
    trouble = now - timedelta(days=trouble_days_ago) if trouble_days_ago is not None else None
    with school_session(w.school_id) as db:
        db.add(
            Subscription(
                school_id=w.school_id,
                status=status,
                trial_ends_at=now + timedelta(days=10),
                current_period_end=now + timedelta(days=200),
                trouble_since=trouble,
            )
        )
        db.commit()


def _status(w: World) -> str:
    with school_session(w.school_id) as db:
        rnd = db.get(ConferenceRound, w.round_id)
        assert rnd is not None
        return rnd.status


def _reopen(w: World) -> None:
    with school_session(w.school_id) as db:
        set_status(db, actor=w.admin, round_id=w.round_id, status="closed")
        set_status(db, actor=w.admin, round_id=w.round_id, status="open")


@pytest.mark.parametrize(
    ("status", "trouble_days_ago"),
    [("unpaid", 15), ("canceled", 30), ("past_due", 20)],
)
def test_a_school_past_its_grace_period_cannot_open_a_round_and_is_told_why(
    factory: Factory, status: str, trouble_days_ago: int
) -> None:
    w = build_world(factory)  # opened while trialing
    _plan(w, status, trouble_days_ago=trouble_days_ago)
    with pytest.raises(BillingRestricted) as refused:
        _reopen(w)
    assert _status(w) == "closed"  # closing still works; opening did not happen
    shown = error_notice(refused.value)
    assert shown.kind == "error"
    assert shown.nl == catalog("nl")["billing.error.restricted"]
    assert shown.en == catalog("en")["billing.error.restricted"]
    assert "abonnement" in shown.nl and "subscription" in shown.en


def test_a_school_whose_trial_ended_long_ago_cannot_open_a_round(factory: Factory) -> None:
    w = build_world(factory)
    with unscoped() as db:
        school = db.get(School, w.school_id)
        assert school is not None
        school.created_at = utcnow() - timedelta(days=90)  # no plan row: the trial counts from here
        db.add(school)
        db.commit()
    with pytest.raises(BillingRestricted):
        _reopen(w)
    assert _status(w) == "closed"


@pytest.mark.parametrize(
    ("status", "trouble_days_ago"),
    [("trialing", None), ("active", None), ("past_due", 3), ("unpaid", 2)],
)
def test_trial_paid_and_grace_period_schools_may_open_rounds(
    factory: Factory, status: str, trouble_days_ago: int | None
) -> None:
    w = build_world(factory)
    _plan(w, status, trouble_days_ago=trouble_days_ago)
    _reopen(w)
    assert _status(w) == "open"


def test_a_restricted_school_keeps_its_open_round_and_parents_still_book(factory: Factory) -> None:
    w = build_world(factory)
    _plan(w, "canceled", trouble_days_ago=30)
    with school_session(w.school_id) as db:
        booking_id = book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
    assert booking_id > 0 and _status(w) == "open"
