"""What the billing page shows: small display values, never table objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ogp_app.models import Invoice
from ogp_app.services.billing.access import billing_banner
from ogp_app.services.billing.local_invoices import AMSTERDAM, invoices_of
from ogp_app.services.billing.pricing import Price, count_pupils, euros, vat_of, yearly_price
from ogp_app.services.billing.status import standing, subscription_of, trial_days_left
from ogp_app.services.billing.subscriptions import settle_local_period


@dataclass(frozen=True)
class InvoiceLine:
    key: str
    number: str
    date: str
    excl: str
    incl: str
    status: str
    download_url: str


@dataclass(frozen=True)
class BillingOverview:
    status: str  # trialing, active, past_due, unpaid, canceled or trial_ended
    plan_taken: bool
    trial_days_left: int
    trial_ends: str
    roster_pupils: int
    quote: Price  # what the plan costs with today's roster
    plan_pupils: int
    plan_excl: str
    plan_incl: str
    next_invoice: str
    cancel_at_period_end: bool
    collection_method: str
    has_stripe_customer: bool
    banner_key: str
    banner_days: int
    invoices: list[InvoiceLine]


def date_nl(value: datetime | None) -> str:
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y") if value else ""


def download_url(invoice: Invoice) -> str:
    """Stripe's own PDF for Stripe invoices; ours, behind the admin check, for local ones."""
    return invoice.stripe_pdf_url or f"/api/billing/invoices/{invoice.id}/pdf"


def billing_overview(db: Session, *, school_id: int, roles: frozenset[str], now: datetime) -> BillingOverview:
    settle_local_period(db, school_id=school_id, now=now)
    sub = subscription_of(db, school_id=school_id)
    state = standing(db, school_id=school_id, now=now)
    pupils = count_pupils(db, school_id=school_id)
    quote = yearly_price(pupils)
    plan_taken = sub is not None and sub.current_period_end is not None
    trial_left = trial_days_left(state, now) or 0
    plan_excl = plan_incl = next_invoice = ""
    if sub is not None and plan_taken:
        plan_excl = euros(sub.amount_excl_cents)
        plan_incl = euros(sub.amount_excl_cents + vat_of(sub.amount_excl_cents, quote.vat_percent))
        if not sub.cancel_at_period_end and state.status != "canceled":
            next_invoice = date_nl(sub.current_period_end)
    banner = billing_banner(db, school_id=school_id, roles=roles, now=now)
    lines = [
        InvoiceLine(
            key=str(invoice.id),
            number=invoice.number,
            date=date_nl(invoice.issued_at),
            excl=euros(invoice.amount_excl_cents),
            incl=euros(invoice.amount_incl_cents),
            status=invoice.status,
            download_url=download_url(invoice),
        )
        for invoice in invoices_of(db, school_id=school_id)
    ]
    return BillingOverview(
        status=state.status,
        plan_taken=plan_taken,
        trial_days_left=trial_left,
        trial_ends=date_nl(state.trial_ends_at),
        roster_pupils=pupils,
        quote=quote,
        plan_pupils=sub.pupil_count if sub else 0,
        plan_excl=plan_excl,
        plan_incl=plan_incl,
        next_invoice=next_invoice,
        cancel_at_period_end=bool(sub and sub.cancel_at_period_end),
        collection_method=sub.collection_method if sub else "",
        has_stripe_customer=bool(sub and sub.stripe_customer_id),
        banner_key=banner.message_key if banner else "",
        banner_days=banner.days_left if banner else 0,
        invoices=lines,
    )
