"""Stripe webhook events, already verified by the route: apply each once, in the order of Stripe's truth.

Events can arrive twice and out of order, so an event is only a prompt: the subscription (and invoice)
it names is re-read from Stripe and that current object is applied. The event id is inserted into
``processed_stripe_event`` (unique) in the same transaction as the effect, so a replay changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as plain_session
from ogp_app.core.settings import get_settings
from ogp_app.integrations.stripe_gateway import (
    BillingGateway,
    GatewayError,
    RemoteInvoice,
    RemoteSubscription,
    remote_subscription,
)
from ogp_app.models import Invoice, InvoiceStatus, ProcessedStripeEvent, School, Subscription
from ogp_app.services.billing.local_invoices import customer_address
from ogp_app.services.billing.subscriptions import apply_remote, subscription_row

SUBSCRIPTION_EVENTS = frozenset(
    {"customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"}
)
# invoice.payment_succeeded is Stripe's older twin of invoice.paid (both are sent; applying is idempotent).
INVOICE_EVENTS = frozenset(
    {"invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed", "invoice.finalized"}
)
CHECKOUT_COMPLETED = "checkout.session.completed"
HANDLED = SUBSCRIPTION_EVENTS | INVOICE_EVENTS | {CHECKOUT_COMPLETED}
_INVOICE_STATUSES = {s.value for s in InvoiceStatus}


def _school_for_customer(customer_id: str | None) -> int | None:
    """Which school a Stripe customer belongs to: a cross-school lookup by our own stored id."""
    if not customer_id:
        return None
    with unscoped() as db:  # the webhook has no session; the customer id is the only key
        query = select(Subscription.school_id).where(Subscription.stripe_customer_id == customer_id)
        return db.exec(query).first()


def _seen(event_id: str) -> bool:
    with plain_session() as db:
        query = select(ProcessedStripeEvent.id).where(ProcessedStripeEvent.event_id == event_id)
        return db.exec(query).first() is not None


def _record(db: Session, event_id: str, event_type: str, school_id: int | None, now: datetime) -> bool:
    """Insert the event id; False when another delivery of it got there first (a replay)."""
    try:
        with db.begin_nested():
            db.add(
                ProcessedStripeEvent(
                    event_id=event_id, event_type=event_type, school_id=school_id, processed_at=now
                )
            )
    except IntegrityError:
        return False
    return True


def _reread(
    event_type: str, obj: dict[str, Any], gateway: BillingGateway
) -> tuple[RemoteSubscription | None, RemoteInvoice | None]:
    """Stripe's current objects behind the event (not the event's possibly stale copy)."""
    if event_type in SUBSCRIPTION_EVENTS:
        try:
            return gateway.subscription(str(obj["id"])), None
        except GatewayError:
            if event_type != "customer.subscription.deleted":
                raise
            return remote_subscription(obj), None  # a deleted subscription may be gone for good
    if event_type == CHECKOUT_COMPLETED:
        sub_id = obj.get("subscription")
        return (gateway.subscription(str(sub_id)) if sub_id else None), None
    invoice = gateway.invoice(str(obj["id"]))
    sub = gateway.subscription(invoice.subscription_id) if invoice.subscription_id else None
    return sub, invoice


def _apply_invoice(db: Session, school: School, remote: RemoteInvoice, now: datetime) -> None:
    assert school.id is not None
    invoice = db.exec(select(Invoice).where(Invoice.stripe_invoice_id == remote.id)).first()
    if invoice is None:
        invoice = Invoice(
            school_id=school.id,
            number=remote.number or remote.id,
            issued_at=remote.created,
            period_start=remote.period_start,
            period_end=remote.period_end,
            amount_excl_cents=remote.amount_excl_cents,
            vat_percent=get_settings().billing_vat_percent,
            vat_cents=remote.vat_cents,
            amount_incl_cents=remote.amount_incl_cents,
            customer_name=school.name,
            customer_address=customer_address(school),
            customer_vat_number=school.vat_number,
            customer_kvk_number=school.kvk_number,
            stripe_invoice_id=remote.id,
        )
    invoice.number = remote.number or invoice.number
    invoice.status = remote.status if remote.status in _INVOICE_STATUSES else invoice.status
    invoice.due_at = remote.due_date
    invoice.paid_at = remote.paid_at or (
        now if remote.status == "paid" and not invoice.paid_at else invoice.paid_at
    )
    invoice.stripe_pdf_url = remote.pdf_url
    sub = db.exec(select(Subscription).where(Subscription.school_id == school.id)).first()
    invoice.pupil_count = sub.pupil_count if sub else 0
    db.add(invoice)


def handle_event(event: dict[str, Any], *, gateway: BillingGateway, now: datetime) -> str:
    """Apply one verified event. Returns "applied", "replay" or "ignored"."""
    event_id, event_type = str(event.get("id") or ""), str(event.get("type") or "")
    obj: dict[str, Any] = ((event.get("data") or {}).get("object")) or {}
    if not event_id or event_type not in HANDLED:
        return "ignored"
    if _seen(event_id):
        return "replay"
    customer_id = obj.get("customer")
    school_id = _school_for_customer(customer_id if isinstance(customer_id, str) else None)
    if event_type == CHECKOUT_COMPLETED and obj.get("client_reference_id") != str(school_id):
        school_id = None  # the session was not started by us for this customer's school
    if school_id is None:
        with plain_session() as db:
            stored = _record(db, event_id, event_type, None, now)
            db.commit()
        return "ignored" if stored else "replay"
    remote_sub, remote_invoice = _reread(event_type, obj, gateway)
    with school_session(school_id) as db:
        if not _record(db, event_id, event_type, school_id, now):
            return "replay"
        school = db.get(School, school_id)
        assert school is not None
        sub = subscription_row(db, school)
        if remote_sub is not None and remote_sub.customer_id == sub.stripe_customer_id:
            apply_remote(sub, remote_sub, now=now)
        if remote_invoice is not None and remote_invoice.customer_id == sub.stripe_customer_id:
            _apply_invoice(db, school, remote_invoice, now)
        try:
            db.commit()
        except IntegrityError:  # a concurrent delivery of the same event committed first
            db.rollback()
            return "replay"
    return "applied"
