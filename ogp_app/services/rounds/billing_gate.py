"""The one place where billing decides whether a school may open rounds."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ogp_app.models.base import utcnow
from ogp_app.services.billing.access import require_may_open_rounds


def ensure_school_may_open_rounds(db: Session, *, school_id: int, now: datetime | None = None) -> None:
    """Raise ``BillingRestricted`` (a DomainError with a clear message) when the school may not open a
    round now: trialing and paid schools may; past the grace period without a paid plan they may not."""
    require_may_open_rounds(db, school_id=school_id, now=now or utcnow())
