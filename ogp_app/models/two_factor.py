"""TOTP second factor and its one-time recovery codes. Per person, not per school."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class TotpCredential(SQLModel, table=True):
    """One authenticator per person; unconfirmed until the first correct code."""

    __tablename__ = "totp_credential"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True, index=True, ondelete="CASCADE")
    secret_encrypted: str = Field(max_length=255)  # Fernet(purpose=totp-secret); never the raw seed
    confirmed_at: datetime | None = timestamp_field(nullable=True)
    # The 30-second step of the last accepted code: a code is accepted once, and never an older one.
    last_used_step: int | None = Field(default=None)
    created_at: datetime = timestamp_field()


class RecoveryCode(SQLModel, table=True):
    """A single-use fallback code; stored as SHA-256 (80 random bits make salting unnecessary)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = timestamp_field(nullable=True)
    created_at: datetime = timestamp_field()
