"""Subscriptions and invoices: the school's billing data only (never a pupil or parent)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ogp_app.integrations.stripe_gateway import gateway_from_settings
from ogp_app.models import Subscription
from ogp_app.services.privacy.registry import Erase, Subject, declare, no_personal_data, on_school_purged

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


@on_school_purged
def _delete_stripe_customer(db: Session, school_id: int) -> None:
    """The purge removes the school at Stripe too; a failure stops the purge, to be retried later."""
    customer_ids = db.exec(
        select(Subscription.stripe_customer_id).where(
            Subscription.school_id == school_id, col(Subscription.stripe_customer_id).is_not(None)
        )
    ).all()
    if not customer_ids:
        return
    gateway = gateway_from_settings()
    if gateway.online:
        for customer_id in customer_ids:
            if customer_id:
                gateway.delete_customer(customer_id)
