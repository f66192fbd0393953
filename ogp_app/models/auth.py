"""Server-side log-in sessions: the browser holds only a random token, we hold its hash."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class SessionStage(StrEnum):
    """How far a log-in got: ``second_factor`` sessions only open the 2FA prompt, nothing else."""

    FULL = "full"
    SECOND_FACTOR = "second_factor"


class AuthSession(SQLModel, table=True):
    __tablename__ = "auth_session"
    __table_args__ = (CheckConstraint("stage IN ('full', 'second_factor')", name="stage"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)  # sha256 hex of the cookie token
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    school_id: int | None = Field(default=None, foreign_key="school.id", ondelete="CASCADE")
    stage: str = Field(
        default=SessionStage.FULL.value, max_length=20, sa_column_kwargs={"server_default": "full"}
    )
    created_at: datetime = timestamp_field()
    last_seen_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
