"""Who may open new rounds, and which banner admins see, for every plan status (services, no browser)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Role, School, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.billing import (
    BillingRestricted,
    billing_banner,
    require_may_open_rounds,
    school_may_open_rounds,
    standing,
)
from tests.support.factories import Factory

NOW = utcnow()
ADMIN = frozenset({Role.SCHOOL_ADMIN.value})
PARENT = frozenset({Role.PARENT.value})
TEACHER = frozenset({Role.TEACHER.value})


def school_with(factory: Factory, status: str | None, **values: object) -> int:
    school = factory.school()
    assert school.id is not None
    if status is not None:
        with school_session(school.id) as db:
            db.add(
                Subscription(
                    school_id=school.id,
                    status=status,
                    trial_ends_at=values.pop("trial_ends_at", NOW + timedelta(days=10)),  # type: ignore[arg-type]
                    current_period_end=NOW + timedelta(days=200),
                    **values,  # type: ignore[arg-type]
                )
            )
            db.commit()
    return school.id


def may_open(school_id: int, now: datetime = NOW) -> bool:
    with school_session(school_id) as db:
        return school_may_open_rounds(db, school_id=school_id, now=now)


def banner(school_id: int, roles: frozenset[str], now: datetime = NOW) -> tuple[str, int] | None:
    with school_session(school_id) as db:
        found = billing_banner(db, school_id=school_id, roles=roles, now=now)
    return (found.message_key, found.days_left) if found else None


def test_sign_up_starts_a_30_day_trial(clean_db: None) -> None:
    with unscoped() as db:
        result = accounts.sign_up_school_admin(
            db,
            name="Anna de Boer",
            email="anna@example.org",
            password="lange zinnen zijn sterk genoeg",
            school_name="De Linde",
            language="nl",
        )
        sub = db.exec(select(Subscription).where(Subscription.school_id == result.school_id)).one()
        school = db.get(School, result.school_id)
    assert school is not None
    assert sub.status == "trialing"
    assert sub.trial_ends_at == school.created_at + timedelta(days=30)
    assert may_open(result.school_id)


def test_a_school_without_a_row_is_trialing_from_its_creation(factory: Factory) -> None:
    school_id = school_with(factory, None)
    with school_session(school_id) as db:
        created = db.get(School, school_id).created_at  # type: ignore[union-attr]
        state = standing(db, school_id=school_id, now=created)
    assert state.status == "trialing" and not state.restricted
    assert may_open(school_id, created + timedelta(days=29))
    # the trial ends after 30 days; then the 14-day grace period runs, then no new rounds
    day = timedelta(days=1)
    assert banner(school_id, ADMIN, created + 31 * day) == ("billing.banner.warning.trial_ended", 13)
    assert may_open(school_id, created + 43 * day)
    assert not may_open(school_id, created + 44 * day)
    assert banner(school_id, ADMIN, created + 44 * day) == ("billing.banner.restricted.trial_ended", 0)


@pytest.mark.parametrize("status", ["trialing", "active"])
def test_trialing_and_active_have_full_use_and_no_banner(factory: Factory, status: str) -> None:
    school_id = school_with(factory, status)
    assert may_open(school_id)
    assert banner(school_id, ADMIN) is None


def test_past_due_warns_admins_for_14_days_then_blocks_new_rounds(factory: Factory) -> None:
    since = NOW - timedelta(days=3)
    school_id = school_with(factory, "past_due", trouble_since=since)
    assert may_open(school_id)
    assert banner(school_id, ADMIN) == ("billing.banner.warning.past_due", 11)
    assert banner(school_id, TEACHER) is None  # the banner is for admins
    assert banner(school_id, PARENT) is None
    later = since + timedelta(days=14)
    assert not may_open(school_id, later)
    assert banner(school_id, ADMIN, later) == ("billing.banner.restricted.past_due", 0)
    with school_session(school_id) as db, pytest.raises(BillingRestricted):
        require_may_open_rounds(db, school_id=school_id, now=later)


@pytest.mark.parametrize("status", ["unpaid", "canceled"])
def test_unpaid_and_canceled_block_new_rounds_after_the_grace_period(factory: Factory, status: str) -> None:
    recent = school_with(factory, status, trouble_since=NOW - timedelta(days=2))
    assert may_open(recent)
    assert banner(recent, ADMIN) == (f"billing.banner.warning.{status}", 12)
    old = school_with(factory, status, trouble_since=NOW - timedelta(days=15))
    assert not may_open(old)
    assert banner(old, ADMIN) == (f"billing.banner.restricted.{status}", 0)
    # parents are never shown a billing banner, and nothing else of theirs depends on billing
    assert banner(old, PARENT) is None


def test_the_rule_reads_only_the_schools_own_plan(factory: Factory) -> None:
    blocked = school_with(factory, "canceled", trouble_since=NOW - timedelta(days=30))
    fine = school_with(factory, "active")
    assert not may_open(blocked) and may_open(fine)


def test_a_plan_cancelled_at_period_end_ends_with_its_period(factory: Factory) -> None:
    school_id = school_with(factory, "active", cancel_at_period_end=True)
    end = NOW + timedelta(days=200)  # the period end school_with sets
    assert may_open(school_id, end - timedelta(days=1))
    assert banner(school_id, ADMIN, end - timedelta(days=1)) is None
    assert banner(school_id, ADMIN, end + timedelta(days=1)) == ("billing.banner.warning.canceled", 13)
    assert not may_open(school_id, end + timedelta(days=14))


def test_the_banner_reaches_every_page_of_the_schools_admins_only(factory: Factory) -> None:
    """AppState puts the banner text (both languages) in every page's frame for admins, nobody else."""
    from ogp_app.services.auth.sessions import resolve_session
    from ogp_app.state.base import billing_notice

    school_id = school_with(factory, "past_due", trouble_since=NOW - timedelta(days=3))
    school = factory.session.get(School, school_id)
    assert school is not None
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    parent = factory.member(school, Role.PARENT)
    nl, en = billing_notice(resolve_session(factory.session_token(admin, school)))
    assert "11" in nl and "11" in en and nl != en
    assert billing_notice(resolve_session(factory.session_token(parent, school))) == ("", "")
    healthy = school_with(factory, "active")
    healthy_school = factory.session.get(School, healthy)
    assert healthy_school is not None
    other_admin = factory.member(healthy_school, Role.SCHOOL_ADMIN)
    assert billing_notice(resolve_session(factory.session_token(other_admin, healthy_school))) == ("", "")
