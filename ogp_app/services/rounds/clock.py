"""Local time of the schools (all Dutch): walls clocks in Europe/Amsterdam, storage in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from ogp_app.i18n import normalise_language

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


def local_instant(day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time on a school day (DST handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=SCHOOL_TZ).astimezone(UTC)


def to_local(instant: datetime) -> datetime:
    return instant.astimezone(SCHOOL_TZ)


def format_when(instant: datetime, language: str, pattern: str = "EEEE d MMMM y, HH:mm") -> str:
    """E.g. "dinsdag 10 februari 2026, 19:10" / "Tuesday 10 February 2026, 19:10" (local time)."""
    return format_datetime(to_local(instant), pattern, locale=normalise_language(language))


def hhmm(instant: datetime) -> str:
    return to_local(instant).strftime("%H:%M")
