"""Where a school stands with its plan, and the access rules that follow from it.

- trialing (within the trial) and active: full use;
- past_due: full use with a warning for admins, for a grace period (14 days) from the first failure;
- unpaid, canceled or an ended trial: after the same grace period the school can still log in, see and
  export everything, but opens no new rounds. Parents are never blocked from their bookings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from ogp_app.core.settings import get_settings
from ogp_app.models import School, Subscription, SubscriptionStatus

GOOD = frozenset({SubscriptionStatus.TRIALING.value, SubscriptionStatus.ACTIVE.value})


@dataclass(frozen=True)
class Standing:
    status: str  # one of SubscriptionStatus, or "trial_ended"
    trial_ends_at: datetime | None
    trouble_since: datetime | None  # None while in good standing
    grace_ends_at: datetime | None
    restricted: bool  # no new rounds

    @property
    def in_grace(self) -> bool:
        return self.trouble_since is not None and not self.restricted


def subscription_of(db: Session, *, school_id: int) -> Subscription | None:
    return db.exec(select(Subscription).where(Subscription.school_id == school_id)).first()


def trial_end_for(created_at: datetime) -> datetime:
    return created_at + timedelta(days=get_settings().billing_trial_days)


def standing(db: Session, *, school_id: int, now: datetime) -> Standing:
    """The school's standing at ``now``. A school without a row is trialing from its creation."""
    grace = timedelta(days=get_settings().billing_grace_days)
    sub = subscription_of(db, school_id=school_id)
    if sub is None:
        school = db.get(School, school_id)
        if school is None:
            raise LookupError(f"school {school_id}")
        status, trial_ends_at, trouble = (
            SubscriptionStatus.TRIALING.value,
            trial_end_for(school.created_at),
            None,
        )
    else:
        status, trial_ends_at, trouble = sub.status, sub.trial_ends_at, sub.trouble_since
    period_end = sub.current_period_end if sub is not None and sub.cancel_at_period_end else None
    if period_end is not None and status in GOOD and now >= period_end:  # cancelled, and the period is over
        status, trouble = SubscriptionStatus.CANCELED.value, period_end
    if status == SubscriptionStatus.TRIALING.value and trial_ends_at is not None and now >= trial_ends_at:
        status, trouble = "trial_ended", trial_ends_at
    if status in GOOD:
        return Standing(status, trial_ends_at, None, None, restricted=False)
    trouble = trouble or now
    grace_ends = trouble + grace
    return Standing(status, trial_ends_at, trouble, grace_ends, restricted=now >= grace_ends)


def trial_days_left(state: Standing, now: datetime) -> int | None:
    """Whole days of the trial still to go (a day begun counts); None when the school is not trialing."""
    if state.status != SubscriptionStatus.TRIALING.value or state.trial_ends_at is None:
        return None
    return max(math.ceil((state.trial_ends_at - now).total_seconds() / 86400), 0)
