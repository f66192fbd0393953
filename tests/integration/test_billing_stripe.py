"""Stripe mode through the official SDK: Checkout, pay by invoice, Customer Portal and cancelling, against a
local server answering with Stripe's documented shapes (Checkout and the Portal are not in localstripe)
and against localstripe. Every request is recorded at the HTTP level: none may carry a pupil, guardian,
teacher or user name or e-mail address (privacy statement: Stripe receives school billing data only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.integrations.stripe_gateway import gateway_from_settings
from ogp_app.models import Role, School, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services.billing import cancel_at_period_end, portal_url, subscribe, yearly_price
from tests.support.billing import BILLING, UseStripe, billed_school
from tests.support.factories import Factory
from tests.support.stripe_servers import FakeStripe, LocalStripe, Recorded, RecordingHttpClient, fake_stripe

PERSONAL = [
    "Daan",
    "Oosterhuis",
    "Karin Smit",
    "karin.smit@ouders.example",
    "Pieter Visser",
    "pieter.visser@delinde.example",
    "Annemarie Verhoeven",
    "annemarie@delinde.example",
]


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with fake_stripe() as server:
        yield server


def school_with_people(factory: Factory, name: str = "Basisschool De Linde", *, admin: bool = True) -> School:
    """A billed school whose roster and staff hold the personal data that must stay here."""
    school = billed_school(factory, pupils=2, name=name)
    group = factory.school_class(school)
    guardian = factory.guardian(school, email="karin.smit@ouders.example")
    guardian.display_name = "Karin Smit"
    factory._save(guardian)
    factory.pupil(school, group, guardian, first_name="Daan", last_name="Oosterhuis")
    teacher = factory.teacher(school, group)
    teacher.display_name, teacher.email = "Pieter Visser", "pieter.visser@delinde.example"
    factory._save(teacher)
    if admin:
        user = factory.user("annemarie@delinde.example", "Annemarie Verhoeven")
        factory.member(school, Role.SCHOOL_ADMIN, user)
    return school


def assert_no_personal_data(requests: list[Recorded], school_name: str) -> None:
    texts = [r.text for r in requests]
    assert any(school_name in text for text in texts), "the recording saw no customer data at all"
    leaks = [
        (r.method, r.path, word) for r in requests for word in PERSONAL if word.lower() in r.text.lower()
    ]
    assert leaks == []


def test_checkout_pay_by_invoice_portal_and_cancel_send_only_school_billing_data(
    factory: Factory, fake: FakeStripe, use_stripe: UseStripe
) -> None:
    use_stripe(fake.base_url)
    card_school, invoice_school = (
        school_with_people(factory),
        school_with_people(factory, "De Eik", admin=False),
    )
    assert card_school.id is not None and invoice_school.id is not None
    gateway, now = gateway_from_settings(), utcnow()

    with school_session(card_school.id) as db:
        result = subscribe(
            db,
            school_id=card_school.id,
            method="checkout",
            gateway=gateway,
            now=now,
            success_url="http://localhost:3000/school/billing?checkout=done",
            cancel_url="http://localhost:3000/school/billing",
        )
        sub = db.exec(select(Subscription)).one()
    assert result.redirect_url is not None and result.redirect_url.startswith("https://checkout.stripe.com/")
    assert sub.status == "trialing" and sub.stripe_customer_id  # active only once the webhook says so
    customer = fake.sent("POST", "/v1/customers")[0].form
    assert customer["name"] == "Basisschool De Linde" and customer["email"] == BILLING["invoice_email"]
    assert customer["address[line1]"] == BILLING["street_address"]
    assert customer["tax_id_data[0][value]"] == BILLING["vat_number"]
    checkout = fake.sent("POST", "/v1/checkout/sessions")[0].form
    assert checkout["mode"] == "subscription"
    assert [checkout[f"payment_method_types[{i}]"] for i in range(3)] == ["card", "ideal", "sepa_debit"]
    assert checkout["tax_id_collection[enabled]"] == "true"
    assert checkout["client_reference_id"] == str(card_school.id)
    assert checkout["line_items[0][price_data][unit_amount]"] == str(yearly_price(3).excl_cents)
    assert checkout["line_items[0][price_data][recurring][interval]"] == "year"
    assert checkout["line_items[0][tax_rates][0]"] == "txr_fake"
    # the school is in its trial: Stripe starts charging when our trial ends
    assert checkout["subscription_data[trial_end]"] == str(int(sub.trial_ends_at.timestamp()))
    assert checkout["subscription_data[metadata][pupil_count]"] == "3"

    with school_session(invoice_school.id) as db:
        subscribe(db, school_id=invoice_school.id, method="invoice", gateway=gateway, now=now)
        by_invoice = db.exec(select(Subscription)).one()
        assert (by_invoice.status, by_invoice.collection_method) == ("active", "send_invoice")
        url = portal_url(
            db, school_id=invoice_school.id, gateway=gateway, return_url="http://localhost:3000/x"
        )
        assert url.startswith("https://billing.stripe.com/")
        cancel_at_period_end(db, school_id=invoice_school.id, gateway=gateway, now=now)
        assert db.exec(select(Subscription)).one().cancel_at_period_end
    created = fake.sent("POST", "/v1/subscriptions")[0].form
    assert (created["collection_method"], created["days_until_due"]) == ("send_invoice", "30")
    assert created["default_tax_rates[0]"] == "txr_fake"
    portal = fake.sent("POST", "/v1/billing_portal/sessions")[0].form
    assert portal["customer"] == by_invoice.stripe_customer_id
    assert fake.sent("POST", f"/v1/subscriptions/{by_invoice.stripe_subscription_id}")[0].form == {
        "cancel_at_period_end": "true"
    }
    assert_no_personal_data(fake.requests, "Basisschool De Linde")


def test_against_localstripe_the_customer_holds_only_billing_data(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    recorder = RecordingHttpClient()
    gateway = gateway_from_settings(http_client=recorder)
    school = school_with_people(factory)
    assert school.id is not None
    from ogp_app.services.billing.subscriptions import customer_billing

    customer_id = gateway.ensure_customer(billing=customer_billing(school), customer_id=None)
    gateway.ensure_customer(billing=customer_billing(school), customer_id=customer_id)  # an update
    stored = localstripe.client().v1.customers.retrieve(customer_id).to_dict()
    assert stored["name"] == "Basisschool De Linde" and stored["email"] == BILLING["invoice_email"]
    assert_no_personal_data(recorder.sent, "Basisschool De Linde")
    assert not any(word.lower() in str(stored).lower() for word in PERSONAL)


def test_an_unreachable_provider_is_a_clear_message_and_changes_nothing(
    factory: Factory, use_stripe: UseStripe
) -> None:
    from ogp_app.services.billing import PaymentProviderUnavailable
    from tests.support.server import free_port

    use_stripe(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    school = billed_school(factory)
    assert school.id is not None
    with school_session(school.id) as db:
        with pytest.raises(PaymentProviderUnavailable):
            subscribe(
                db, school_id=school.id, method="invoice", gateway=gateway_from_settings(), now=utcnow()
            )
        assert db.exec(select(Subscription)).first() is None  # nothing half-written
