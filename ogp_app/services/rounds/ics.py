"""Calendar files: the one attached to mails about a booking, and a family's conversations on /book. Times
in Europe/Amsterdam; a booking has the same UID in every file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from icalendar import Calendar, Event, Timezone

from ogp_app.models.base import utcnow
from ogp_app.services.rounds.clock import SCHOOL_TZ, to_local


@cache
def _vtimezone() -> bytes:
    """Europe/Amsterdam as a VTIMEZONE, rendered once: computing its transitions costs milliseconds."""
    return Timezone.from_tzid(str(SCHOOL_TZ)).to_ical()


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # the same for a booking in every file: a calendar updates its entry instead of adding one
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    description: str
    url: str = ""  # an online conversation's link


def calendar_ics(events: Iterable[CalendarEvent], *, cancelled: bool = False) -> bytes:
    """One calendar file with these events (the time zone once, before the first)."""
    cal = Calendar()
    cal.add("prodid", "-//Oudergesprekplanner//NL")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", utcnow())
        event.add("dtstart", to_local(item.starts_at))
        event.add("dtend", to_local(item.ends_at))
        event.add("summary", item.summary)
        event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    body = cal.to_ical()
    return body.replace(b"BEGIN:VEVENT", _vtimezone() + b"BEGIN:VEVENT", 1)


def booking_ics(event: CalendarEvent, *, cancelled: bool = False) -> bytes:
    """The file attached to a mail about one booking."""
    return calendar_ics([event], cancelled=cancelled)
