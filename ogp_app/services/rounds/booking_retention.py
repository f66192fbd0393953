"""How long a school keeps the bookings (and their notes) of ended conversation rounds.

The school admin chooses 3, 6, 12 or 24 months (default 12) at /school/settings. The retention job
(``ogp retention run``, hourly in the app) deletes every booking, active or cancelled, with its note,
of a round whose last day ended longer ago than its school's period. The round itself, its days and
slots stay: they are the school's planning and hold no person. A round without days never ended.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, delete, select

from ogp_app.core.db import committing
from ogp_app.models import Booking, RoundDay, School
from ogp_app.models.tenancy import BOOKING_RETENTION_CHOICES
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.errors import DomainError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class RetentionChoiceInvalid(DomainError):
    message_key = "school.retention.error.months"


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment ``months`` calendar months earlier (31 March - 1 month: 28/29 Feb)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _months(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in BOOKING_RETENTION_CHOICES:
        raise RetentionChoiceInvalid()
    return value


def set_booking_retention(db: Session, *, school_id: int, admin_user_id: int, months: object) -> int:
    """Store the school's period; only its admin may. ``db``: ``school_session(school_id)``. Commits."""
    chosen = _months(months)
    with committing(db):
        school = require_school_admin(db, school_id=school_id, user_id=admin_user_id)
        school.booking_retention_months = chosen
        db.add(school)
    return chosen


def booking_retention(db: Session, *, school_id: int) -> int:
    school = db.get(School, school_id)
    return school.booking_retention_months if school else 0


def _round_ends(db: Session) -> dict[int, tuple[int, datetime]]:
    """round id -> (school id, the UTC instant its last day ended)."""
    ends: dict[int, tuple[int, datetime]] = {}
    for round_id, school_id, day, ends_at in db.exec(
        select(col(RoundDay.round_id), col(RoundDay.school_id), col(RoundDay.day), col(RoundDay.ends_at))
    ).all():
        end = _local_end(day, ends_at)
        if round_id not in ends or end > ends[round_id][1]:
            ends[round_id] = (school_id, end)
    return ends


def _local_end(day: date, ends_at: time) -> datetime:
    return datetime.combine(day, ends_at, tzinfo=AMSTERDAM).astimezone(UTC)


def purge_old_bookings(db: Session, now: datetime) -> int:
    """Delete the bookings of rounds that ended longer ago than their school's period; the count.

    ``db``: unscoped (all schools). Idempotent: a second run finds nothing more.
    """
    periods = dict(db.exec(select(School.id, School.booking_retention_months)).all())
    expired = [
        round_id
        for round_id, (school_id, end) in _round_ends(db).items()
        if school_id in periods and end < months_before(now, periods[school_id])
    ]
    if not expired:
        return 0
    result = db.exec(delete(Booking).where(col(Booking.round_id).in_(expired)))
    return int(getattr(result, "rowcount", 0) or 0)
