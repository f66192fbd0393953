"""POST /api/stripe/webhook against localstripe: signatures, replays and out-of-order events.

Each event is only a prompt: the handler re-reads the subscription and invoice from (local) Stripe.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import stripe
from sqlmodel import func, select
from starlette.testclient import TestClient

from ogp_app.api import build_api
from ogp_app.core.db import school_session, unscoped
from ogp_app.integrations.stripe_gateway import gateway_from_settings
from ogp_app.models import Invoice, ProcessedStripeEvent, School, Subscription
from ogp_app.services.billing.subscriptions import customer_billing, subscription_row
from tests.support.billing import UseStripe, billed_school
from tests.support.factories import Factory
from tests.support.stripe_servers import LocalStripe, event, signed

URL = "/api/stripe/webhook"


def client() -> TestClient:
    return TestClient(build_api(), base_url="http://localhost:3000")


def post(payload: dict[str, Any], **sign: Any) -> Any:
    body, header = signed(payload, **sign)
    return client().post(
        URL, content=body, headers={"stripe-signature": header, "content-type": "application/json"}
    )


def stripe_school(factory: Factory, ls: LocalStripe) -> tuple[int, str, stripe.StripeClient]:
    """A school whose Stripe customer exists in localstripe (as after pressing "check out")."""
    school = billed_school(factory)
    assert school.id is not None
    with school_session(school.id) as db:
        sub = subscription_row(db, db.get(School, school.id))  # type: ignore[arg-type]
        sub.stripe_customer_id = gateway_from_settings().ensure_customer(
            billing=customer_billing(school), customer_id=None
        )
        db.commit()
        return school.id, sub.stripe_customer_id, ls.client()


def paid_subscription(c: stripe.StripeClient, customer: str) -> Any:
    """What Checkout leaves behind: a card on file and an active yearly subscription with 21 % BTW."""
    plan = c.v1.plans.create(
        {"amount": 30000, "currency": "eur", "interval": "year", "product": {"name": "OGP"}}
    )
    rate = c.v1.tax_rates.create({"display_name": "BTW", "percentage": 21, "inclusive": False})
    card: Any = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2035, "cvc": "123"}
    method = c.v1.payment_methods.create({"type": "card", "card": card})  # localstripe takes numbers
    c.v1.payment_methods.attach(method.id, {"customer": customer})
    c.v1.customers.update(customer, {"invoice_settings": {"default_payment_method": method.id}})
    return c.v1.subscriptions.create(
        {
            "customer": customer,
            "items": [{"plan": plan.id}],
            "default_tax_rates": [rate.id],
            "metadata": {"pupil_count": "3"},
        }
    )


def row(school_id: int) -> Subscription:
    with school_session(school_id) as db:
        return db.exec(select(Subscription)).one()


def events_recorded() -> int:
    with unscoped() as db:
        return db.exec(select(func.count()).select_from(ProcessedStripeEvent)).one()


def test_checkout_completed_marks_active_and_a_replay_changes_nothing(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    school_id, customer, c = stripe_school(factory, localstripe)
    sub = paid_subscription(c, customer)
    completed = event(
        "evt_checkout_1",
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "customer": customer,
            "subscription": sub.id,
            "client_reference_id": str(school_id),
        },
    )
    response = post(completed)
    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    mine = row(school_id)
    assert (mine.status, mine.stripe_subscription_id, mine.pupil_count) == ("active", sub.id, 3)
    assert mine.amount_excl_cents == 30000 and mine.current_period_end is not None
    assert events_recorded() == 1
    replay = post(completed)
    assert replay.status_code == 200 and replay.json()["outcome"] == "replay"
    assert events_recorded() == 1

    # invoice.paid: the invoice is listed with Stripe's amounts and status
    paid = post(event("evt_invoice_1", "invoice.paid", {"id": sub.latest_invoice, "customer": customer}))
    assert paid.json()["outcome"] == "applied"
    with school_session(school_id) as db:
        invoice = db.exec(select(Invoice)).one()
    assert invoice.stripe_invoice_id == sub.latest_invoice and invoice.status == "paid"
    assert (invoice.amount_excl_cents, invoice.vat_cents, invoice.amount_incl_cents) == (30000, 6300, 36300)


def test_out_of_order_events_end_in_stripes_current_state(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    school_id, customer, c = stripe_school(factory, localstripe)
    sub = paid_subscription(c, customer)
    newer = {"id": sub.id, "object": "subscription", "customer": customer, "status": "active"}
    assert post(event("evt_new", "customer.subscription.updated", newer)).status_code == 200
    # an older "past_due" update arrives late: its copy is stale, Stripe says active
    stale = {**newer, "status": "past_due"}
    assert post(event("evt_old", "customer.subscription.updated", stale)).json()["outcome"] == "applied"
    assert row(school_id).status == "active"
    # cancelling in Stripe, then the deletion event: the row follows Stripe
    c.v1.subscriptions.cancel(sub.id)
    assert post(event("evt_del", "customer.subscription.deleted", newer)).status_code == 200
    ended = row(school_id)
    assert ended.status == "canceled" and ended.trouble_since is not None


def test_bad_signatures_and_stale_timestamps_are_refused(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    school_id, customer, c = stripe_school(factory, localstripe)
    sub = paid_subscription(c, customer)
    payload = event("evt_forged", "customer.subscription.updated", {"id": sub.id, "customer": customer})
    assert post(payload, secret="whsec_not_ours").status_code == 400
    assert post(payload, timestamp=int(time.time()) - 600).status_code == 400
    body, _header = signed(payload)
    assert client().post(URL, content=body).status_code == 400  # no signature at all
    assert (
        client().post(URL, content=b"{not json", headers={"stripe-signature": "t=1,v1=00"}).status_code == 400
    )
    assert events_recorded() == 0 and row(school_id).stripe_subscription_id is None
    # the webhook needs no Origin (Stripe sends none) and is exempt from the Origin check only because
    # its signature is checked: a signed event is accepted, an unsigned one is not, whatever the Origin
    signed_body, header = signed(payload)
    assert client().post(URL, content=signed_body, headers={"stripe-signature": header}).status_code == 200
    foreign = {"origin": "https://evil.example", "stripe-signature": "t=1,v1=00"}
    assert client().post(URL, content=signed_body, headers=foreign).status_code == 400
    other_body, other_header = signed({**payload, "id": "evt_with_origin"})
    with_origin = {"origin": "https://evil.example", "stripe-signature": other_header}
    assert client().post(URL, content=other_body, headers=with_origin).status_code == 200


def test_without_stripe_keys_the_webhook_does_not_exist(clean_db: None) -> None:
    body, header = signed(event("evt_x", "invoice.paid", {"id": "in_x", "customer": "cus_x"}))
    assert client().post(URL, content=body, headers={"stripe-signature": header}).status_code == 404


def test_checkout_for_another_schools_customer_is_ignored(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    school_id, customer, c = stripe_school(factory, localstripe)
    sub = paid_subscription(c, customer)
    forged = {"id": "cs_x", "customer": customer, "subscription": sub.id, "client_reference_id": "999999"}
    assert post(event("evt_cs_x", "checkout.session.completed", forged)).json()["outcome"] == "ignored"
    assert row(school_id).status == "trialing"


@pytest.mark.parametrize("unknown", ["customer.created", "payment_intent.succeeded"])
def test_unhandled_event_types_are_acknowledged(
    unknown: str, factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    assert post(event("evt_u", unknown, {"id": "x"})).json()["outcome"] == "ignored"
