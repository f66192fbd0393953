"""Single sign-on per school: the school's OpenID Connect provider and in-flight log-in attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field


class SchoolIdentityProvider(SchoolOwned, table=True):
    """A school's own OIDC provider (Entra ID, Google Workspace, ...); at most one per school."""

    __tablename__ = "school_identity_provider"
    __table_args__ = (UniqueConstraint("school_id", name="uq_school_identity_provider_school_id"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=500)  # compared exactly with discovery and the ID token's `iss`
    client_id: str = Field(max_length=255)
    client_secret_encrypted: str = Field(max_length=2000)  # Fernet(purpose=oidc-client-secret)
    allowed_email_domain: str | None = Field(default=None, max_length=253)
    tenant_id: str | None = Field(default=None, max_length=64)  # Entra: must equal the `tid` claim
    enabled: bool = Field(default=False)
    updated_at: datetime = timestamp_field()


class OidcLoginAttempt(SQLModel, table=True):
    """Server-side state of one redirect to a provider, so a state is accepted once and only in time.

    Not school-owned: the callback finds it by state before any school is known.
    """

    __tablename__ = "oidc_login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True, index=True)  # sha256 hex of the state
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    nonce: str = Field(max_length=64)  # travels in the URL and ID token anyway: not a secret
    code_verifier_encrypted: str = Field(max_length=500)  # Fernet(purpose=oidc-code-verifier)
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)
