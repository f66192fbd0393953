"""The supplier printed on our invoices: ready to be paid, or only an example.

The settings ship placeholders so that ``make run`` works out of the box. An invoice with them cannot be
paid (no real IBAN, KvK or BTW number), so in production the app refuses to issue one and names the
settings to fill in; elsewhere the PDF says VOORBEELD in large letters.
"""

from __future__ import annotations

import logging

from stdnum import iban

from ogp_app.core.settings import Settings, get_settings
from ogp_app.services.errors import DomainError
from ogp_app.services.formats.dutch_numbers import KVK, VAT

logger = logging.getLogger(__name__)

# The supplier's settings an invoice needs, as the operator sets them (OGP_ + the upper-cased name).
SUPPLIER_FIELDS = (
    "billing_supplier_name",
    "billing_supplier_address",
    "billing_supplier_postal_code",
    "billing_supplier_city",
    "billing_supplier_kvk",
    "billing_supplier_vat",
    "billing_supplier_email",
    "billing_supplier_iban",
)

# Defaults that may well be an operator's own (our name; a town): refused only when empty.
REAL_DEFAULTS = frozenset({"billing_supplier_name", "billing_supplier_city"})


class SupplierDetailsMissing(DomainError):
    """Production, and the supplier's details are still placeholders: no invoice may be issued."""

    message_key = "billing.error.supplier_missing"

    def __init__(self, settings: list[str]) -> None:
        super().__init__(", ".join(settings))
        self.message_values = {"settings": ", ".join(settings)}


def _env_name(field: str) -> str:
    return f"OGP_{field.upper()}"


def _wrong(field: str, value: str) -> bool:
    compact = "".join(value.split()).upper()
    if field == "billing_supplier_kvk":
        return not KVK.fullmatch(compact)
    if field == "billing_supplier_vat":
        return not VAT.fullmatch(compact)
    if field == "billing_supplier_iban":
        return not iban.is_valid(compact)
    return False


def supplier_gaps(settings: Settings | None = None) -> list[str]:
    """The environment variables whose value is empty, the shipped placeholder, or not a valid KvK
    number, BTW number or IBAN; empty when an invoice can be paid."""
    settings = settings or get_settings()
    gaps = []
    for field in SUPPLIER_FIELDS:
        value = str(getattr(settings, field) or "").strip()
        placeholder = Settings.model_fields[field].default
        if field in REAL_DEFAULTS:  # a real name and a real town: wrong only when empty
            placeholder = ""
        if not value or value == placeholder or _wrong(field, value) or value.endswith("@localhost"):
            gaps.append(_env_name(field))
    return gaps


def is_example(settings: Settings | None = None) -> bool:
    """Whether an invoice with these details is only an example (the PDF says VOORBEELD)."""
    return bool(supplier_gaps(settings))


def supplier_ready(settings: Settings | None = None) -> bool:
    """Whether this installation may issue an invoice now (outside production: always)."""
    settings = settings or get_settings()
    return settings.env != "production" or not supplier_gaps(settings)


def require_payable_supplier(settings: Settings | None = None) -> None:
    """Refuse to issue an invoice in production while the supplier's details are placeholders."""
    settings = settings or get_settings()
    if settings.env == "production" and (gaps := supplier_gaps(settings)):
        logger.error("Invoice refused: set %s (the supplier on every invoice).", ", ".join(gaps))
        raise SupplierDetailsMissing(gaps)


def warn_operator(settings: Settings | None = None) -> None:
    """At start-up: tell the operator which supplier settings still hold placeholders."""
    settings = settings or get_settings()
    if settings.stripe_enabled:
        return  # Stripe issues the invoices, with the details kept in its dashboard
    if gaps := supplier_gaps(settings):
        production = settings.env == "production"
        consequence = "no invoice will be issued" if production else "invoices say VOORBEELD"
        logger.warning(
            "Supplier details for invoices are not set: %s (%s until they are).", ", ".join(gaps), consequence
        )
