"""Subscriptions and invoices: the school's billing data only (never a pupil or parent)."""

from __future__ import annotations

from ogp_app.services.privacy.registry import Erase, Subject, declare, no_personal_data

declare(
    "subscription",
    subject=Subject.SCHOOL,
    personal=["stripe_customer_id"],
    reason="The school's contract; kept with the school and purged with it.",
    erase=Erase.KEEP,
)
declare(
    "invoice",
    subject=Subject.SCHOOL,
    personal=["customer_name", "customer_address", "customer_vat_number", "customer_kvk_number"],
    reason="The school's invoices (its billing name and address); kept with the school, purged with it.",
    erase=Erase.KEEP,
)
no_personal_data("invoice_sequence", reason="The last invoice number per year.")
no_personal_data(
    "processed_stripe_event",
    reason="Ids of Stripe events already handled (a replay guard); no content of the event is stored.",
)
