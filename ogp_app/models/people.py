"""People with an account: one person, one e-mail, one account across schools."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class User(SQLModel, table=True):
    """An account. Only name and e-mail are asked of a person (privacy statement 1.1)."""

    __table_args__ = (CheckConstraint("preferred_language IN ('nl', 'en')", name="language"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    display_name: str = Field(max_length=200)
    preferred_language: str = Field(default="nl", max_length=2)
    is_staff: bool = Field(default=False)  # OGP staff: the back office, never a school's data by default
    created_at: datetime = timestamp_field()
    password_hash: str | None = Field(default=None, max_length=255)  # argon2id; None: e-mail links only
    email_verified_at: datetime | None = timestamp_field(nullable=True)
