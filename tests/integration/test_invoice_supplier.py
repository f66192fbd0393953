"""Invoices that can be paid: production refuses to invoice with the shipped placeholder supplier details
and names the settings to fill in; the PDF carries the IBAN and the payment reference; an installation
with placeholders (``make run``) marks its PDFs VOORBEELD."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.core.settings import get_settings
from ogp_app.i18n import translate
from ogp_app.integrations.stripe_gateway import LocalGateway
from ogp_app.models import Invoice, Subscription
from ogp_app.models.base import utcnow
from ogp_app.services.billing import subscribe
from ogp_app.services.billing.invoice_pdf import render_invoice_pdf
from ogp_app.services.billing.supplier import SupplierDetailsMissing, supplier_gaps, warn_operator
from tests.integration.test_billing_local import pdf_text
from tests.integration.test_billing_pdf_route import invoiced
from tests.support.billing import billed_school
from tests.support.factories import Factory

REAL_SUPPLIER = {
    "OGP_BILLING_SUPPLIER_NAME": "Gesprekken BV",
    "OGP_BILLING_SUPPLIER_ADDRESS": "Oudegracht 100",
    "OGP_BILLING_SUPPLIER_POSTAL_CODE": "3511 AX",
    "OGP_BILLING_SUPPLIER_CITY": "Utrecht",
    "OGP_BILLING_SUPPLIER_KVK": "12345678",
    "OGP_BILLING_SUPPLIER_VAT": "NL123456789B01",
    "OGP_BILLING_SUPPLIER_EMAIL": "facturen@gesprekken.example",
    "OGP_BILLING_SUPPLIER_IBAN": "NL91 ABNA 0417 1643 00",
}


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch):
    def apply(env: str, **values: str) -> None:
        monkeypatch.setenv("OGP_ENV", env)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


def test_production_refuses_to_invoice_with_placeholders_and_names_the_settings(
    factory: Factory, configure, caplog: pytest.LogCaptureFixture
) -> None:
    configure("production", OGP_BILLING_SUPPLIER_IBAN="NL91 ABNA 0417 1643 01")  # a wrong check digit
    school = billed_school(factory)
    assert school.id is not None
    with (
        caplog.at_level(logging.ERROR, logger="ogp_app.services.billing.supplier"),
        school_session(school.id) as db,
        pytest.raises(SupplierDetailsMissing) as refused,
    ):
        subscribe(db, school_id=school.id, method="invoice", gateway=LocalGateway(), now=utcnow())
    missing = refused.value.message_values["settings"]
    for name in ("ADDRESS", "POSTAL_CODE", "KVK", "VAT", "EMAIL", "IBAN"):
        assert f"OGP_BILLING_SUPPLIER_{name}" in missing
    assert "_NAME" not in missing and "_CITY" not in missing  # real values, though they are the defaults
    message = translate(refused.value.message_key, "nl", **refused.value.message_values)
    assert "OGP_BILLING_SUPPLIER_IBAN" in message and "beheerder" in message
    assert "OGP_BILLING_SUPPLIER_KVK" in caplog.text  # the operator reads it in the log too
    with school_session(school.id) as db:  # nothing was recorded: no plan without its invoice
        assert db.exec(select(Invoice)).all() == []
        sub = db.exec(select(Subscription)).first()
        assert sub is None or sub.current_period_end is None


def test_production_with_real_details_issues_an_invoice_with_iban_and_reference(
    factory: Factory, configure
) -> None:
    configure("production", **REAL_SUPPLIER)
    assert supplier_gaps() == []
    invoice = invoiced(billed_school(factory))
    text = pdf_text(render_invoice_pdf(invoice))
    assert "NL91 ABNA 0417 1643 00" in text
    assert f"Betalingskenmerk {invoice.number}" in text
    assert "Ten name van Gesprekken BV" in text
    assert "VOORBEELD" not in text
    english = pdf_text(render_invoice_pdf(invoice, language="en"))
    assert f"Payment reference {invoice.number}" in english and "EXAMPLE" not in english


def test_an_installation_with_placeholders_marks_its_invoices_as_example(
    factory: Factory, configure, caplog: pytest.LogCaptureFixture
) -> None:
    configure("development")
    with caplog.at_level(logging.WARNING, logger="ogp_app.services.billing.supplier"):
        warn_operator()
    assert "OGP_BILLING_SUPPLIER_IBAN" in caplog.text and "VOORBEELD" in caplog.text
    invoice = invoiced(billed_school(factory))
    text = pdf_text(render_invoice_pdf(invoice))
    assert "VOORBEELD" in text and "niet betalen" in text
    assert f"Betalingskenmerk {invoice.number}" in text
