"""Server-side log-in sessions: the browser holds only a random token, we hold its hash."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class AuthSession(SQLModel, table=True):
    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)  # sha256 hex of the cookie token
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    school_id: int | None = Field(default=None, foreign_key="school.id", ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    last_seen_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
