"""All tables; importing this package registers every model with SQLModel's metadata (Alembic reads it)."""

from ogp_app.models.accounts import AuditEvent, OneTimeToken, RateLimitHit, TokenPurpose
from ogp_app.models.auth import AuthSession
from ogp_app.models.mail import OutboxMessage, OutboxStatus
from ogp_app.models.people import User
from ogp_app.models.tenancy import Membership, Role, School, SchoolStatus

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Membership",
    "OneTimeToken",
    "OutboxMessage",
    "OutboxStatus",
    "RateLimitHit",
    "Role",
    "School",
    "SchoolStatus",
    "TokenPurpose",
    "User",
]
