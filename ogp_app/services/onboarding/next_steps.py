"""What a school admin still has to do before parents can book, for the home page (/app)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ogp_app.models import ConferenceRound
from ogp_app.services.billing.status import standing, subscription_of, trial_days_left
from ogp_app.services.onboarding.checklist import checklist

# In the order an admin meets them in the first hour.
NEXT_STEPS = ("roster", "colleagues", "round", "open_round", "subscribe")


@dataclass(frozen=True)
class AdminHome:
    next_steps: list[str]  # keys of NEXT_STEPS still to do
    trial_days_left: int | None  # None when the school is not in its trial


def admin_home(db: Session, *, school_id: int, admin_user_id: int, now: datetime) -> AdminHome:
    """``db``: ``school_session(school_id)``; only the school's admin may ask (else PermissionDenied)."""
    done = checklist(db, school_id=school_id, admin_user_id=admin_user_id).done
    statuses = set(db.exec(select(ConferenceRound.status).where(ConferenceRound.school_id == school_id)))
    sub = subscription_of(db, school_id=school_id)
    todo = {
        "roster": not done["roster"],
        "colleagues": not done["colleagues"],
        "round": not statuses & {"draft", "open"},  # nothing planned (past rounds are closed)
        "open_round": "draft" in statuses and "open" not in statuses,
        "subscribe": sub is None or sub.current_period_end is None,
    }
    days = trial_days_left(standing(db, school_id=school_id, now=now), now)
    return AdminHome([step for step in NEXT_STEPS if todo[step]], days)
