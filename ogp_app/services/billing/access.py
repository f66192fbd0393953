"""The hooks other parts call: may this school open a new round, and which billing banner to show.

Only opening new rounds is ever refused. Logging in, seeing and exporting data, and everything parents
do (seeing and keeping their bookings) never depends on billing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ogp_app.core.db import school_session
from ogp_app.models import Role
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.billing.status import standing
from ogp_app.services.errors import DomainError


class BillingRestricted(DomainError):
    message_key = "billing.error.restricted"


@dataclass(frozen=True)
class BillingBanner:
    kind: str  # "warning" (grace period running) or "restricted"
    message_key: str
    days_left: int


def school_may_open_rounds(db: Session, *, school_id: int, now: datetime) -> bool:
    """False once the school is past its grace period without a paid plan. ``db``: the school's session."""
    return not standing(db, school_id=school_id, now=now).restricted


def require_may_open_rounds(db: Session, *, school_id: int, now: datetime) -> None:
    """For the round service: raise :class:`BillingRestricted` instead of opening a round."""
    if not school_may_open_rounds(db, school_id=school_id, now=now):
        raise BillingRestricted()


def billing_banner(
    db: Session, *, school_id: int, roles: frozenset[str], now: datetime
) -> BillingBanner | None:
    """The banner for the school's admins; None for everyone else (parents and teachers see none)."""
    if Role.SCHOOL_ADMIN.value not in roles:
        return None
    state = standing(db, school_id=school_id, now=now)
    if state.trouble_since is None or state.grace_ends_at is None:
        return None
    if state.restricted:
        return BillingBanner("restricted", f"billing.banner.restricted.{_reason(state.status)}", 0)
    days = max(math.ceil((state.grace_ends_at - now).total_seconds() / 86400), 0)
    return BillingBanner("warning", f"billing.banner.warning.{_reason(state.status)}", days)


def _reason(status: str) -> str:
    return status if status in {"past_due", "unpaid", "canceled", "trial_ended"} else "past_due"


def banner_for(identity: Identity) -> BillingBanner | None:
    """``billing_banner`` for the signed-in person, now, in a session of their school of its own."""
    if identity.school_id is None or Role.SCHOOL_ADMIN.value not in identity.roles:
        return None
    with school_session(identity.school_id) as db:
        return billing_banner(db, school_id=identity.school_id, roles=identity.roles, now=utcnow())
