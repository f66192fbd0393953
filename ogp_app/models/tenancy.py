"""Schools (the tenants) and who belongs to them in which role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field


class SchoolStatus(StrEnum):
    PENDING = "pending"  # signed up, e-mail not yet verified
    ACTIVE = "active"
    FROZEN = "frozen"  # deletion requested; purged after the grace period


class Role(StrEnum):
    SCHOOL_ADMIN = "school_admin"
    TEACHER = "teacher"
    PARENT = "parent"


# The periods a school may choose for keeping bookings of ended rounds (months; default 12).
BOOKING_RETENTION_CHOICES = (3, 6, 12, 24)
BOOKING_RETENTION_DEFAULT = 12


class School(SQLModel, table=True):
    """A tenant. Every school-owned row points here."""

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'active', 'frozen')", name="status"),
        CheckConstraint("booking_retention_months IN (3, 6, 12, 24)", name="booking_retention_months"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True, index=True)
    brin_code: str | None = Field(default=None, max_length=4)
    city: str | None = Field(default=None, max_length=120)
    # Billing and onboarding details (the only school data Stripe may receive).
    street_address: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=10)
    invoice_email: str | None = Field(default=None, max_length=254)
    kvk_number: str | None = Field(default=None, max_length=8)
    vat_number: str | None = Field(default=None, max_length=20)
    onboarding_completed_at: datetime | None = timestamp_field(nullable=True)
    status: str = Field(default=SchoolStatus.PENDING.value, max_length=20)
    created_at: datetime = timestamp_field()
    # Set when an admin asks to delete the school (status frozen); purged 30 days later unless undone.
    deletion_requested_at: datetime | None = timestamp_field(nullable=True)
    status_before_deletion: str | None = Field(default=None, max_length=20)
    # Bookings (and their notes) of rounds that ended longer ago than this are deleted (retention).
    booking_retention_months: int = Field(default=12, sa_column_kwargs={"server_default": "12"})
    # Families read the teacher's summary of their conversation (models.outcomes); off: staff only.
    share_summaries: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})


class Membership(SchoolOwned, table=True):
    """A person's role at one school; one person may hold several roles at several schools."""

    __table_args__ = (
        UniqueConstraint("school_id", "user_id", "role", name="uq_membership_school_user_role"),
        CheckConstraint("role IN ('school_admin', 'teacher', 'parent')", name="role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    created_at: datetime = timestamp_field()
