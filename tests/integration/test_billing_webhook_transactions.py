"""The event id and its effect commit together: a failed effect leaves no id (Stripe's retry applies it),
and two deliveries of one event at the same time apply it once (the unique index decides)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.integrations.stripe_gateway import GatewayError, RemoteSubscription
from ogp_app.models import ProcessedStripeEvent, School, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services.billing import handle_event
from ogp_app.services.billing.subscriptions import subscription_row
from tests.support.billing import billed_school
from tests.support.factories import Factory
from tests.support.stripe_servers import event

NOW = utcnow()


@dataclass
class StubStripe:
    """Answers re-reads with a fixed subscription; can fail the first ``failures`` calls."""

    status: str = "active"
    failures: int = 0
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    online: bool = True

    def subscription(self, subscription_id: str) -> RemoteSubscription:
        with self.lock:
            self.calls += 1
            if self.calls <= self.failures:
                raise GatewayError("stripe: APIConnectionError")
        return RemoteSubscription(
            id=subscription_id,
            customer_id="cus_tx",
            status=self.status,
            current_period_start=NOW,
            current_period_end=NOW + timedelta(days=365),
            cancel_at_period_end=False,
            collection_method="charge_automatically",
            amount_excl_cents=30000,
            pupil_count=3,
            trial_end=None,
        )

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected gateway call {name}")


def customer_school(factory: Factory) -> int:
    school = billed_school(factory)
    assert school.id is not None
    with school_session(school.id) as db:
        subscription_row(db, db.get(School, school.id)).stripe_customer_id = "cus_tx"  # type: ignore[arg-type]
        db.commit()
    return school.id


def recorded() -> int:
    with unscoped() as db:
        return db.exec(select(func.count()).select_from(ProcessedStripeEvent)).one()


def status_of(school_id: int) -> str:
    with school_session(school_id) as db:
        return db.exec(select(Subscription)).one().status


UPDATED = event("evt_tx_1", "customer.subscription.updated", {"id": "sub_tx", "customer": "cus_tx"})


def test_a_failed_effect_records_nothing_and_the_retry_applies(factory: Factory) -> None:
    school_id = customer_school(factory)
    stub = StubStripe(failures=1)
    with pytest.raises(GatewayError):  # propagates: the route answers 503 and Stripe retries
        handle_event(UPDATED, gateway=stub, now=NOW)
    assert recorded() == 0 and status_of(school_id) == "trialing"
    assert handle_event(UPDATED, gateway=stub, now=NOW) == "applied"
    assert recorded() == 1 and status_of(school_id) == "active"


def test_two_simultaneous_deliveries_apply_once(factory: Factory) -> None:
    customer_school(factory)
    stub = StubStripe()
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        outcomes.append(handle_event(UPDATED, gateway=stub, now=NOW))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["applied", "replay"]
    assert recorded() == 1
