"""The school's dashboard (/school/dashboard): one round's bookings over time, share booked and attendance
per class, and the families not yet seen this school year. Figures only; the page draws them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate

from sqlmodel import Session, col, select

from ogp_app.models import Booking, ConferenceRound
from ogp_app.models.base import utcnow
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.clock import to_local
from ogp_app.services.rounds.outcomes import (
    ClassAttendance,
    ClassUnseen,
    attendance_per_class,
    families_not_seen,
)
from ogp_app.services.rounds.progress import ClassProgress, round_progress
from ogp_app.services.rounds.setup import get_round


@dataclass(frozen=True)
class DayCount:
    day: date
    bookings: int  # active bookings made up to and including this day


@dataclass(frozen=True)
class Dashboard:
    round_id: int  # 0: the school has no round yet
    round_name: str
    rounds: list[tuple[int, str]]  # every round not archived, newest first (the page's choice)
    bookings_by_day: list[DayCount]
    booked_per_class: list[ClassProgress]
    attendance: list[ClassAttendance]
    unseen: list[ClassUnseen]


def school_dashboard(
    db: Session, *, actor: Actor, round_id: object = None, now: datetime | None = None
) -> Dashboard:
    """The dashboard for ``round_id`` (default: the newest round). Admins only."""
    actor.require_admin()
    now = now or utcnow()
    rounds = db.exec(
        select(ConferenceRound.id, ConferenceRound.name)
        .where(ConferenceRound.status != "archived")
        .order_by(col(ConferenceRound.id).desc())
    ).all()
    choices = [(rid, name) for rid, name in rounds if rid is not None]
    unseen = families_not_seen(db, actor=actor, now=now)
    if not choices:
        return Dashboard(0, "", [], [], [], [], unseen)
    rnd = get_round(db, round_id if round_id is not None else choices[0][0])
    assert rnd.id is not None
    return Dashboard(
        rnd.id,
        rnd.name,
        choices,
        bookings_by_day(db, round_id=rnd.id),
        round_progress(db, rnd=rnd),
        attendance_per_class(db, actor=actor, round_id=rnd.id, now=now),
        unseen,
    )


def bookings_by_day(db: Session, *, round_id: int) -> list[DayCount]:
    """Active bookings of the round by the (local) day they were made, summed up day by day."""
    made = db.exec(
        select(Booking.created_at).where(Booking.round_id == round_id, col(Booking.cancelled_at).is_(None))
    ).all()
    per_day = Counter(to_local(moment).date() for moment in made)
    days = sorted(per_day)
    return [
        DayCount(day, total) for day, total in zip(days, accumulate(per_day[d] for d in days), strict=True)
    ]
