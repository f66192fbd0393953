"""One-time downloads of a privacy export: the ZIP is built on the GET that consumes the row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class ExportDownload(SQLModel, table=True):
    """A short-lived ticket for one export; only the SHA-256 of the token is stored."""

    __tablename__ = "export_download"
    __table_args__ = (CheckConstraint("scope IN ('user', 'school')", name="scope"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")  # who may fetch it
    scope: str = Field(max_length=10)
    school_id: int | None = Field(default=None, foreign_key="school.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
