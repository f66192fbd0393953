"""The outbox: every e-mail is written here in the caller's transaction and sent later by a worker.

Not school-owned: mail goes to people, some of whom (new sign-ups) belong to no school yet. ``school_id``
only lets a school's deletion take its pending mail with it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field

LAST_ERROR_LENGTH = 500


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for next_attempt_at
    SENDING = "sending"  # claimed by a worker until next_attempt_at (the lease)
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class OutboxMessage(SQLModel, table=True):
    """One rendered e-mail: the worker only has to send what is stored here."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
        CheckConstraint("language IN ('nl', 'en')", name="language"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),  # the worker's one query
    )

    id: int | None = Field(default=None, primary_key=True)
    to_email: str = Field(max_length=254)
    to_name: str | None = Field(default=None, max_length=200)
    language: str = Field(max_length=2)
    template: str = Field(max_length=50)
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)
    # [{"filename", "content_type", "data": base64}]: rendered now, so .ics files survive retries as sent.
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON, nullable=False)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=10)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = timestamp_field()
    sent_at: datetime | None = timestamp_field(nullable=True)
    last_error: str | None = Field(default=None, max_length=LAST_ERROR_LENGTH)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field(index=True)
