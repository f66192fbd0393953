"""The OGP back office: contact messages with their replies, and the staff access log.

Contact messages are not school-owned: anyone may write, signed in or not. The access log is
school-owned on purpose: the school's own admins read it (privacy centre) through their school scope.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field

MESSAGE_MAX = 5000
REASON_MAX = 500


class ContactTopic(StrEnum):
    QUESTION = "question"
    PRIVACY_REQUEST = "privacy_request"
    COMPLAINT = "complaint"
    DATA_REQUEST_ON_BEHALF = "data_request_on_behalf"


class ContactStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"


class ContactMessage(SQLModel, table=True):
    """One message sent through the contact form; only what the sender typed, nothing about their device."""

    __tablename__ = "contact_message"
    __table_args__ = (
        CheckConstraint(
            "topic IN ('question', 'privacy_request', 'complaint', 'data_request_on_behalf')", name="topic"
        ),
        CheckConstraint("status IN ('new', 'in_progress', 'answered')", name="status"),
        CheckConstraint("language IN ('nl', 'en')", name="language"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    topic: str = Field(max_length=30)
    message: str = Field(sa_type=Text)
    language: str = Field(default="nl", max_length=2)  # the sender's: the copy and replies use it
    status: str = Field(default=ContactStatus.NEW.value, max_length=20, index=True)
    # Set when sent from inside the app; the sender's account going away keeps the message (set null).
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    created_at: datetime = timestamp_field(index=True)
    updated_at: datetime = timestamp_field()


class ContactReply(SQLModel, table=True):
    """A staff answer, e-mailed to the sender through the outbox."""

    __tablename__ = "contact_reply"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="contact_message.id", index=True, ondelete="CASCADE")
    staff_user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    body: str = Field(sa_type=Text)
    created_at: datetime = timestamp_field()


class StaffAccessLog(SchoolOwned, table=True):
    """Every time OGP staff opened a school's data: who, why, what, when. Shown to the school."""

    __tablename__ = "staff_access_log"

    id: int | None = Field(default=None, primary_key=True)
    staff_user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    staff_name: str = Field(max_length=200)  # kept when the staff account is removed later
    reason: str = Field(max_length=REASON_MAX)
    opened: str = Field(max_length=60)  # what was opened, e.g. "school_overview"
    created_at: datetime = timestamp_field(index=True)
    # Set when staff opened one person's data (e.g. their export); NULL for a school-wide opening
    # (overview, school export), which every member of the school sees in their privacy centre.
    subject_user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
