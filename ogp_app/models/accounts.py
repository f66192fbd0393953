"""Account security tables: one-time tokens (e-mail links), rate-limit hits and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a password
    INVITATION = "invitation"
    SIGN_IN_LINK = "sign_in_link"
    EMAIL_CHANGE = "email_change"


class OneTimeToken(SQLModel, table=True):
    """A link sent by e-mail. Only the SHA-256 of the token is stored; each row can be used once."""

    __tablename__ = "one_time_token"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('verify_email', 'password_reset', 'invitation', 'sign_in_link', 'email_change')",
            name="purpose",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # Not SchoolOwned: most tokens belong to a person, not a school; invitations name their school.
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True, ondelete="CASCADE")
    role: str | None = Field(default=None, max_length=20)  # invitation only
    new_email: str | None = Field(default=None, max_length=254)  # email_change only
    invited_name: str | None = Field(default=None, max_length=200)  # invitation: the name the school typed
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)


class RateLimitHit(SQLModel, table=True):
    """One counted attempt. ``key`` holds a scope and a keyed hash, never a raw IP or e-mail address."""

    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_hit_key_created_at", "key", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100)
    created_at: datetime = timestamp_field()


class AuditEvent(SQLModel, table=True):
    """Who did what to whose account. ``detail`` never holds passwords, tokens or hashes."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    # The log is personal data of its subject: it goes with the school or the person (cascade);
    # an actor who leaves does not erase what happened to someone else (set null).
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True, ondelete="CASCADE")
    actor_user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    subject_user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    event: str = Field(max_length=40)
    created_at: datetime = timestamp_field()
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
