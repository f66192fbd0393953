"""Slots and bookings. The "no double booking" rules live in the database as partial unique indexes.

``household_key`` is the booking household's id for a pupil met per household, and 0 for a joint meeting:
a real value rather than NULL, because NULLs never collide in a unique index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlmodel import Field

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field

JOINT_HOUSEHOLD_KEY = 0
_ACTIVE = text("cancelled_at IS NULL")
_PENDING = text("confirmation_pending")


class Slot(SchoolOwned, table=True):
    """A teacher's time slot. 'merged' slots were absorbed into the slot before them (a double slot)."""

    __table_args__ = (
        UniqueConstraint("round_id", "teacher_id", "starts_at", name="uq_slot_round_teacher_start"),
        # what a booking copies from its slot, as one key (the booking's foreign key below)
        UniqueConstraint("id", "school_id", "round_id", "teacher_id", name="uq_slot_booking_key"),
        CheckConstraint("status IN ('free', 'blocked', 'merged')", name="status"),
        CheckConstraint("starts_at < ends_at", name="times"),
        Index("ix_slot_round_teacher_day", "round_id", "teacher_id", "day_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", ondelete="CASCADE")
    day_id: int = Field(foreign_key="round_day.id", index=True, ondelete="CASCADE")
    teacher_id: int = Field(foreign_key="teacher.id", index=True, ondelete="CASCADE")
    starts_at: datetime = timestamp_field()
    ends_at: datetime = timestamp_field()
    status: str = Field(default="free", max_length=10)


class Booking(SchoolOwned, table=True):
    """A family's conversation in a slot. Cancelled rows stay (history); only active rows must be unique."""

    __table_args__ = (
        CheckConstraint("household_key >= 0", name="household_key"),
        CheckConstraint("(household_key = 0) = (household_id IS NULL)", name="household_match"),
        Index(
            "ux_booking_active_slot", "slot_id", unique=True, sqlite_where=_ACTIVE, postgresql_where=_ACTIVE
        ),
        Index(
            "ux_booking_active_pupil_teacher",
            "round_id",
            "teacher_id",
            "pupil_id",
            "household_key",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
        Index("ix_booking_round_teacher", "round_id", "teacher_id"),
        # One key for slot, school, round and teacher: the database holds a booking to its slot's school,
        # round and teacher, and a booking locks (FOR KEY SHARE) only its slot row, not the school's, the
        # round's and the teacher's rows that every booking of a rush would share.
        ForeignKeyConstraint(
            ["slot_id", "school_id", "round_id", "teacher_id"],
            ["slot.id", "slot.school_id", "slot.round_id", "slot.teacher_id"],
            name="fk_booking_slot_key",
            ondelete="CASCADE",
        ),
        Index("ix_booking_confirmation_pending", "id", sqlite_where=_PENDING, postgresql_where=_PENDING),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own (unlike other school tables): at the start of a rush the planner believes the
    # school has no bookings and would scan all of them through it instead of looking up by pupil or slot.
    # School, round, slot and teacher: one foreign key to the slot (above).
    school_id: int = Field(nullable=False)
    round_id: int  # indexed first in ix_booking_round_teacher
    slot_id: int = Field(index=True)
    teacher_id: int
    pupil_id: int = Field(foreign_key="pupil.id", index=True, ondelete="CASCADE")
    household_id: int | None = Field(default=None, foreign_key="household.id", ondelete="CASCADE")
    household_key: int = Field(default=JOINT_HOUSEHOLD_KEY)
    booked_by_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = timestamp_field()
    cancelled_at: datetime | None = timestamp_field(nullable=True)
    cancelled_by_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    reminder_sent_at: datetime | None = timestamp_field(nullable=True)
    # A parent's own booking commits without rendering its mail (the rush stays short); the mail worker
    # renders the confirmation soon after (rounds.notify.render_pending_confirmations) and clears this.
    confirmation_pending: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
