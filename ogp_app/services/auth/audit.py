"""The account audit log: who did what to whose account, without secrets.

``detail`` takes only short scalar values under harmless keys; anything that looks like a secret
is refused here, so a careless caller fails in tests instead of writing a password to the log.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session

from ogp_app.models import AuditEvent

DetailValue = str | int | bool | None
_SECRET_WORDS = ("password", "token", "secret", "hash", "code", "link")
_MAX_VALUE_LENGTH = 100


class Event(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - event names, not passwords
    PASSWORD_RESET = "password_reset"  # noqa: S105
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    ROLE_GRANTED = "role_granted"
    ROLE_REVOKED = "role_revoked"
    EMAIL_CHANGED = "email_changed"
    INVITATION_SENT = "invitation_sent"
    INVITATION_ACCEPTED = "invitation_accepted"
    SIGNED_UP = "signed_up"
    EMAIL_VERIFIED = "email_verified"
    ACCOUNT_DELETED = "account_deleted"  # subject only as a pseudonym in detail
    SCHOOL_DELETION_REQUESTED = "school_deletion_requested"
    SCHOOL_DELETION_UNDONE = "school_deletion_undone"


def _clean(detail: dict[str, DetailValue]) -> dict[str, DetailValue]:
    for key, value in detail.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise ValueError(f"audit detail key {key!r} looks like a secret")
        if not isinstance(value, str | int | bool | None):
            raise ValueError(f"audit detail {key!r} must be a scalar")
        if isinstance(value, str) and len(value) > _MAX_VALUE_LENGTH:
            raise ValueError(f"audit detail {key!r} is too long")
    return dict(detail)


def record(
    db: Session,
    *,
    event: Event,
    subject_user_id: int | None = None,
    actor_user_id: int | None = None,
    school_id: int | None = None,
    detail: dict[str, DetailValue] | None = None,
) -> None:
    """Add one audit row; the caller commits it with the change it describes."""
    db.add(
        AuditEvent(
            event=Event(event).value,
            subject_user_id=subject_user_id,
            actor_user_id=actor_user_id,
            school_id=school_id,
            detail=_clean(detail or {}),
        )
    )
