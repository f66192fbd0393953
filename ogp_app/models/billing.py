"""Billing: one subscription per school, its invoices, and the Stripe webhook events already handled.

Amounts are integer euro cents. Stripe ids are NULL in local mode (no Stripe keys): then our own
tables are the whole truth and invoices are numbered from :class:`InvoiceSequence`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field


class SubscriptionStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    CANCELED = "canceled"


class CollectionMethod(StrEnum):
    AUTOMATIC = "charge_automatically"  # card, iDEAL or SEPA Direct Debit through Checkout
    SEND_INVOICE = "send_invoice"  # pay by invoice within 30 days


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


class Subscription(SchoolOwned, table=True):
    """The plan of one school. A school without a row is in its trial, counted from its sign-up."""

    __table_args__ = (
        UniqueConstraint("school_id", name="uq_subscription_school_id"),
        UniqueConstraint("stripe_subscription_id", name="uq_subscription_stripe_subscription_id"),
        CheckConstraint("status IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled')", name="status"),
        CheckConstraint(
            "collection_method IN ('charge_automatically', 'send_invoice')", name="collection_method"
        ),
        CheckConstraint("pupil_count >= 0 AND amount_excl_cents >= 0", name="amounts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default=SubscriptionStatus.TRIALING.value, max_length=20)
    trial_ends_at: datetime = timestamp_field()
    current_period_start: datetime | None = timestamp_field(nullable=True)
    current_period_end: datetime | None = timestamp_field(nullable=True)
    cancel_at_period_end: bool = False
    # Start of the current payment trouble (past_due/unpaid/canceled); the grace period counts from here.
    trouble_since: datetime | None = timestamp_field(nullable=True)
    pupil_count: int = 0  # the basis of the price when the plan was taken or last renewed
    amount_excl_cents: int = 0  # yearly, excl. BTW
    collection_method: str = Field(default=CollectionMethod.AUTOMATIC.value, max_length=30)
    stripe_customer_id: str | None = Field(default=None, max_length=255, index=True)
    stripe_subscription_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class Invoice(SchoolOwned, table=True):
    """An invoice to the school. Customer details are copied at issue: an invoice never changes later."""

    __table_args__ = (
        UniqueConstraint("number", name="uq_invoice_number"),
        UniqueConstraint("stripe_invoice_id", name="uq_invoice_stripe_invoice_id"),
        CheckConstraint("status IN ('draft', 'open', 'paid', 'void', 'uncollectible')", name="status"),
        CheckConstraint("amount_incl_cents = amount_excl_cents + vat_cents", name="total"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=64)  # our sequence locally ("2026-00001"), Stripe's number online
    status: str = Field(default=InvoiceStatus.OPEN.value, max_length=20)
    issued_at: datetime = timestamp_field()  # factuurdatum
    period_start: datetime = timestamp_field()  # supply period (the subscription year)
    period_end: datetime = timestamp_field()
    due_at: datetime | None = timestamp_field(nullable=True)
    paid_at: datetime | None = timestamp_field(nullable=True)
    pupil_count: int = 0
    amount_excl_cents: int
    vat_percent: int
    vat_cents: int
    amount_incl_cents: int
    customer_name: str = Field(max_length=200)
    customer_address: str = Field(default="", max_length=400)  # street, postal code and city; lines
    customer_vat_number: str | None = Field(default=None, max_length=20)
    customer_kvk_number: str | None = Field(default=None, max_length=8)
    stripe_invoice_id: str | None = Field(default=None, max_length=255)
    stripe_pdf_url: str | None = Field(default=None, max_length=1000)
    created_at: datetime = timestamp_field()


class InvoiceSequence(SQLModel, table=True):
    """The supplier's one numbering per year, across all schools (not school-owned on purpose)."""

    __tablename__ = "invoice_sequence"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_number: int = 0


class ProcessedStripeEvent(SQLModel, table=True):
    """A Stripe event already applied; inserted in the transaction of its effect, so a replay is a no-op."""

    __tablename__ = "processed_stripe_event"
    __table_args__ = (UniqueConstraint("event_id", name="uq_processed_stripe_event_event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=255)
    event_type: str = Field(max_length=100)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True, ondelete="SET NULL")
    processed_at: datetime = timestamp_field()
