"""After the conversation: whether it was held, and the teacher's short note. One row per booking; it goes
with its booking (cascade), so it is kept no longer than the school keeps bookings (retention)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field

HELD, NO_SHOW, MOVED = "held", "no_show", "moved"
ATTENDANCE = (HELD, NO_SHOW, MOVED)
NOTE_MAX, SUMMARY_MAX = 2000, 1000


class ConversationOutcome(SchoolOwned, table=True):
    """Attendance and note of one booked conversation, written by its teacher."""

    __tablename__ = "conversation_outcome"
    __table_args__ = (
        UniqueConstraint("booking_id", name="uq_conversation_outcome_booking"),
        CheckConstraint(
            "attendance IS NULL OR attendance IN ('held', 'no_show', 'moved')", name="attendance"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", ondelete="CASCADE")
    attendance: str | None = Field(default=None, max_length=10)
    # What was agreed: for the school's staff of this pupil only (never another family)
    note: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    follow_up_on: date | None = None
    # What the family may read, where the school turns that on (School.share_summaries)
    family_summary: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    written_by_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = timestamp_field()
