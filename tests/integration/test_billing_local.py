"""Local mode (no Stripe keys): the plan is recorded in our tables and invoiced by us, with a PDF that
carries the fields a Dutch invoice needs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.core.settings import get_settings
from ogp_app.integrations.stripe_gateway import LocalGateway
from ogp_app.models import Invoice, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services.billing import (
    AlreadySubscribed,
    BillingDetailsMissing,
    NotSubscribed,
    billing_overview,
    cancel_at_period_end,
    subscribe,
    yearly_price,
)
from ogp_app.services.billing.invoice_pdf import render_invoice_pdf
from tests.support.billing import BILLING, billed_school
from tests.support.factories import Factory


def pdf_text(data: bytes) -> str:
    """The text drawn on the pages, read by a PDF reader (a regex over the raw streams broke whenever the
    compressed bytes happened to end in a carriage return)."""
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_subscribing_locally_records_the_plan_and_issues_numbered_invoices(factory: Factory) -> None:
    first, second = billed_school(factory), billed_school(factory, name="De Eik", pupils=120)
    now = utcnow()
    for school in (first, second):
        assert school.id is not None
        with school_session(school.id) as db:
            result = subscribe(db, school_id=school.id, method="invoice", gateway=LocalGateway(), now=now)
        assert result.redirect_url is None
    assert first.id is not None and second.id is not None
    with school_session(first.id) as db:
        sub = db.exec(select(Subscription)).one()
        invoice = db.exec(select(Invoice)).one()
        overview = billing_overview(db, school_id=first.id, roles=frozenset({"school_admin"}), now=now)
    with school_session(second.id) as db:
        other = db.exec(select(Invoice)).one()
    year = now.year
    assert (invoice.number, other.number) == (f"{year}-00001", f"{year}-00002")  # one gapless sequence
    assert sub.status == "active" and sub.pupil_count == 3 and sub.collection_method == "send_invoice"
    price = yearly_price(3)
    assert (invoice.amount_excl_cents, invoice.vat_cents, invoice.amount_incl_cents) == (
        price.excl_cents,
        price.vat_cents,
        price.incl_cents,
    )
    assert other.amount_excl_cents == 120 * get_settings().billing_price_per_pupil_cents
    # a trial that was still running is kept: the paid year starts when it ends
    assert sub.current_period_start == sub.trial_ends_at
    assert (
        invoice.customer_name == "Basisschool De Linde"
        and invoice.customer_vat_number == BILLING["vat_number"]
    )
    assert overview.plan_taken and overview.plan_pupils == 3
    assert [(line.number, line.status) for line in overview.invoices] == [(f"{year}-00001", "open")]
    assert overview.invoices[0].download_url == f"/api/billing/invoices/{invoice.id}/pdf"


# Half past midnight in Amsterdam, still the day before in UTC: the invoice carries the Dutch date.
LATE_EVENING_UTC = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)


def test_the_local_invoice_pdf_carries_the_dutch_invoice_fields(factory: Factory) -> None:
    school = billed_school(factory)
    assert school.id is not None
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        with school_session(school.id) as db:
            subscribe(db, school_id=school.id, method="invoice", gateway=LocalGateway(), now=utcnow())
            invoice = db.exec(select(Invoice)).one()
        text = pdf_text(render_invoice_pdf(invoice))
    settings = get_settings()
    price = yearly_price(3)
    expected = [
        "Factuur",
        invoice.number,  # sequential number
        "06-12-2026",  # the invoice date in Amsterdam (05-12 in UTC)
        "Leveringsperiode",
        settings.billing_supplier_name,
        settings.billing_supplier_kvk,
        settings.billing_supplier_vat,
        "Basisschool De Linde",
        "Lindelaan 12",
        "3511 AB Utrecht",
        BILLING["vat_number"],
        "Btw 21%",
        f"EUR {price.excl_cents // 100},{price.excl_cents % 100:02d}",
        f"EUR {price.vat_cents // 100},{price.vat_cents % 100:02d}",
        f"EUR {price.incl_cents // 100},{price.incl_cents % 100:02d}",
    ]
    missing = [item for item in expected if item not in text]
    assert missing == [], text


def test_incomplete_billing_details_and_double_subscriptions_are_refused(factory: Factory) -> None:
    bare = factory.school()
    assert bare.id is not None
    with school_session(bare.id) as db, pytest.raises(BillingDetailsMissing):
        subscribe(db, school_id=bare.id, method="invoice", gateway=LocalGateway(), now=utcnow())
    with school_session(bare.id) as db:
        assert db.exec(select(Invoice)).all() == []
    school = billed_school(factory)
    assert school.id is not None
    with school_session(school.id) as db:
        subscribe(db, school_id=school.id, method="invoice", gateway=LocalGateway(), now=utcnow())
        with pytest.raises(AlreadySubscribed):
            subscribe(db, school_id=school.id, method="checkout", gateway=LocalGateway(), now=utcnow())
        assert len(db.exec(select(Invoice)).all()) == 1


def test_cancel_at_period_end_then_the_plan_ends_and_a_renewal_invoices_again(factory: Factory) -> None:
    cancelling, renewing = billed_school(factory), billed_school(factory, name="De Es")
    now = utcnow()
    assert cancelling.id is not None and renewing.id is not None
    with school_session(cancelling.id) as db:
        with pytest.raises(NotSubscribed):
            cancel_at_period_end(db, school_id=cancelling.id, gateway=LocalGateway(), now=now)
        subscribe(db, school_id=cancelling.id, method="invoice", gateway=LocalGateway(), now=now)
        cancel_at_period_end(db, school_id=cancelling.id, gateway=LocalGateway(), now=now)
        sub = db.exec(select(Subscription)).one()
        assert sub.status == "active" and sub.cancel_at_period_end
        assert sub.current_period_end is not None
        after = sub.current_period_end + timedelta(days=1)
        view = billing_overview(db, school_id=cancelling.id, roles=frozenset({"school_admin"}), now=after)
        assert view.status == "canceled" and view.next_invoice == ""
    with school_session(renewing.id) as db:
        subscribe(db, school_id=renewing.id, method="invoice", gateway=LocalGateway(), now=now)
        end = db.exec(select(Subscription)).one().current_period_end
        assert end is not None
        view = billing_overview(
            db, school_id=renewing.id, roles=frozenset({"school_admin"}), now=end + timedelta(days=1)
        )
        assert view.status == "active" and len(view.invoices) == 2
