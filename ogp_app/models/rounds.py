"""Conference rounds (gespreksrondes): which classes, which days, which teachers when and where.

Days hold local wall-clock times (Europe/Amsterdam); the generated slots (bookings.py) hold UTC instants.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field


class ConferenceRound(SchoolOwned, table=True):
    """One round of conversations, e.g. "Rapportgesprekken februari"."""

    __tablename__ = "conference_round"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed', 'archived')", name="status"),
        CheckConstraint("meeting_kind IN ('mentor', 'subject')", name="meeting_kind"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 60", name="slot_minutes"),
        CheckConstraint("family_gap_minutes >= 0", name="family_gap_minutes"),
        CheckConstraint(
            "conversation_mode IN ('on_site', 'online', 'family_choice')", name="conversation_mode"
        ),
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
    # on_site, online, or family_choice (models.video); a round teacher may override it
    conversation_mode: str = Field(
        default="on_site", max_length=20, sa_column_kwargs={"server_default": "on_site"}
    )
    created_at: datetime = timestamp_field()


class RoundClass(SchoolOwned, table=True):
    """A class taking part in a round."""

    __tablename__ = "round_class"
    __table_args__ = (UniqueConstraint("round_id", "class_id", name="uq_round_class_round_class"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", index=True, ondelete="CASCADE")
    class_id: int = Field(foreign_key="school_class.id", index=True, ondelete="CASCADE")


class RoundDay(SchoolOwned, table=True):
    """An evening or day of a round, in local time (Europe/Amsterdam)."""

    __tablename__ = "round_day"
    __table_args__ = (
        UniqueConstraint("round_id", "day", name="uq_round_day_round_day"),
        CheckConstraint("starts_at < ends_at", name="times"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", index=True, ondelete="CASCADE")
    day: date
    starts_at: time
    ends_at: time


class RoundTeacher(SchoolOwned, table=True):
    """A teacher who holds conversations in a round, and where."""

    __tablename__ = "round_teacher"
    __table_args__ = (
        UniqueConstraint("round_id", "teacher_id", name="uq_round_teacher_round_teacher"),
        CheckConstraint(
            "conversation_mode IS NULL OR conversation_mode IN ('on_site', 'online', 'family_choice')",
            name="conversation_mode",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", index=True, ondelete="CASCADE")
    teacher_id: int = Field(foreign_key="teacher.id", index=True, ondelete="CASCADE")
    room: str | None = Field(default=None, max_length=60)
    conversation_mode: str | None = Field(default=None, max_length=20)  # None: the round's


class TeacherAvailability(SchoolOwned, table=True):
    """A teacher's own hours on one day of a round: absent, or a narrower window than the day's."""

    __tablename__ = "teacher_availability"
    __table_args__ = (
        UniqueConstraint("day_id", "teacher_id", name="uq_teacher_availability_day_teacher"),
        CheckConstraint("starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at", name="times"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", index=True, ondelete="CASCADE")
    day_id: int = Field(foreign_key="round_day.id", index=True, ondelete="CASCADE")
    teacher_id: int = Field(foreign_key="teacher.id", index=True, ondelete="CASCADE")
    absent: bool = Field(default=False)
    starts_at: time | None = None
    ends_at: time | None = None


class TeacherBreak(SchoolOwned, table=True):
    """A pause in a teacher's day: no slots are generated inside it."""

    __tablename__ = "teacher_break"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="times"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", index=True, ondelete="CASCADE")
    day_id: int = Field(foreign_key="round_day.id", index=True, ondelete="CASCADE")
    teacher_id: int = Field(foreign_key="teacher.id", index=True, ondelete="CASCADE")
    starts_at: time
    ends_at: time


class FamilyReminder(SchoolOwned, table=True):
    """A "please book" mail the school sent about one pupil's conversations in a round: per household
    for a pupil met per household (``household_key`` as on a booking), 0 for a joint meeting."""

    __tablename__ = "family_reminder"
    __table_args__ = (Index("ix_family_reminder_round_pupil", "round_id", "pupil_id"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="conference_round.id", ondelete="CASCADE")
    pupil_id: int = Field(foreign_key="pupil.id", index=True, ondelete="CASCADE")
    household_key: int = Field(default=0)
    sent_at: datetime = timestamp_field()
    sent_by_user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
