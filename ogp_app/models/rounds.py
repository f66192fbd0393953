"""Conference rounds (gespreksrondes). The slots and bookings of a round live in bookings.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field

from ogp_app.db import SchoolOwned
from ogp_app.models.base import timestamp_field


class ConferenceRound(SchoolOwned, table=True):
    """One round of conversations, e.g. "Rapportgesprekken februari"."""

    __tablename__ = "conference_round"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed', 'archived')", name="status"),
        CheckConstraint("meeting_kind IN ('mentor', 'subject')", name="meeting_kind"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 60", name="slot_minutes"),
        CheckConstraint("family_gap_minutes >= 0", name="family_gap_minutes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    status: str = Field(default="draft", max_length=20)
    # mentor: per pupil with the mentor/class teacher (primary); subject: several subject teachers.
    meeting_kind: str = Field(default="mentor", max_length=20)
    slot_minutes: int = Field(default=10)
    family_gap_minutes: int = Field(default=0)
    booking_opens_at: datetime | None = timestamp_field(nullable=True)
    booking_closes_at: datetime | None = timestamp_field(nullable=True)
    cancel_until: datetime | None = timestamp_field(nullable=True)
    created_at: datetime = timestamp_field()
