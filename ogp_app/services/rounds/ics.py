"""The calendar file attached to confirmations: one event in Europe/Amsterdam, stable UID per booking."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from icalendar import Calendar, Event, Timezone

from ogp_app.models.base import utcnow
from ogp_app.services.rounds.clock import SCHOOL_TZ, to_local


@cache
def _vtimezone() -> bytes:
    """Europe/Amsterdam as a VTIMEZONE, rendered once: computing its transitions costs milliseconds."""
    return Timezone.from_tzid(str(SCHOOL_TZ)).to_ical()


def booking_ics(
    *,
    uid: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str | None,
    description: str,
    cancelled: bool = False,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Oudergesprekplanner//NL")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("dtstart", to_local(starts_at))
    event.add("dtend", to_local(ends_at))
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    body = cal.to_ical()
    return body.replace(b"BEGIN:VEVENT", _vtimezone() + b"BEGIN:VEVENT", 1)
