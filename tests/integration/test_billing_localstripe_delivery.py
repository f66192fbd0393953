"""localstripe signs and delivers its own events to our webhook over real HTTP: the school's plan
becomes active and its paid invoice is listed, with nothing built by the test but the subscription."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sqlmodel import select

from ogp_app.api import build_api
from ogp_app.core.db import school_session
from ogp_app.models import Invoice, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services.billing import billing_overview
from tests.integration.test_billing_webhooks import paid_subscription, stripe_school
from tests.support.billing import UseStripe
from tests.support.factories import Factory
from tests.support.server import free_port
from tests.support.stripe_servers import LocalStripe

EVENTS = ["customer.subscription.created", "invoice.payment_succeeded"]  # what localstripe sends


@pytest.fixture
def served_api() -> Iterator[str]:
    """Our HTTP routes on a real port (uvicorn in a thread), so localstripe can post to them."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_api(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_localstripe_events_mark_the_plan_active_and_list_the_invoice(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe, served_api: str
) -> None:
    use_stripe(localstripe.base_url)
    localstripe.register_webhook(f"{served_api}/api/stripe/webhook", EVENTS)
    try:
        school_id, customer, client = stripe_school(factory, localstripe)
        sub = paid_subscription(client, customer)
        deadline = time.monotonic() + 30
        while True:
            with school_session(school_id) as db:
                mine = db.exec(select(Subscription)).one()
                invoices = db.exec(select(Invoice)).all()
            if mine.status == "active" and invoices:
                break
            assert time.monotonic() < deadline, f"not applied: {mine.status}, {len(invoices)} invoices"
            time.sleep(0.3)
    finally:
        localstripe.register_webhook(f"{served_api}/api/stripe/webhook", ["none.none"])  # stop deliveries
    assert mine.stripe_subscription_id == sub.id
    with school_session(school_id) as db:
        view = billing_overview(db, school_id=school_id, roles=frozenset({"school_admin"}), now=utcnow())
    assert view.status == "active" and view.plan_taken
    listed = [(line.status, line.excl, line.incl) for line in view.invoices]
    assert listed == [("paid", "€ 300,00", "€ 363,00")]
