"""/api/book/calendar.ics: a parent downloads their own conversations still to come, as their mails have
them; nobody else's, not the other household's, not a cancelled one; signed out or not a parent gets none."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from sqlmodel import col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, OutboxMessage, Slot, User
from ogp_app.models.base import utcnow
from ogp_app.services.mail.outbox import Attachment
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book, cancel
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from ogp_app.services.rounds.setup import set_status
from tests.integration.test_round_exports import get, token_of
from tests.support.factories import Factory
from tests.support.rounds import World, build_world

PATH = "/api/book/calendar.ics"


def _events(body: bytes) -> dict[str, tuple[str, datetime, str]]:
    """UID -> (summary, start, location) of every event in a calendar file (each UID once)."""
    events = Calendar.from_ical(body).walk("VEVENT")
    found = {
        str(e["uid"]): (str(e["summary"]), e.decoded("dtstart"), str(e.get("location", ""))) for e in events
    }
    assert len(found) == len(events), "a conversation twice in one file"
    return found


def _mailed(to: str) -> dict[str, tuple[str, datetime, str]]:
    """The events in the calendar files of the booking confirmations mailed to this address."""
    with unscoped() as db:
        mails = db.exec(
            select(OutboxMessage).where(
                OutboxMessage.template == "booking_confirmed", OutboxMessage.to_email == to
            )
        ).all()
    found: dict[str, tuple[str, datetime, str]] = {}
    for mail in mails:
        for attachment in (Attachment.from_json(a) for a in mail.attachments):
            found |= _events(attachment.data)
    return found


def _starts(booking_ids: list[int]) -> list[datetime]:
    with unscoped() as db:
        return sorted(
            db.exec(
                select(Slot.starts_at)
                .join(Booking, col(Booking.slot_id) == col(Slot.id))
                .where(col(Booking.id).in_(booking_ids))
            ).all()
        )


def _email(actor: Actor) -> str:
    with unscoped() as db:
        user = db.get(User, actor.user_id)
        assert user is not None
        return user.email


def _booked_world(factory: Factory) -> tuple[World, list[int]]:
    """The parent's two children booked (Emma's moved by a cancel and a new booking), Liam by another
    parent, Julia by each of her separated parents' households."""
    w = build_world(factory)
    a, b = w.slots(w.teacher_a), w.slots(w.teacher_b)
    with school_session(w.school_id) as db:
        noah = book(db, actor=w.parent, slot_id=a[0].id, pupil_id=w.kid_a.id)
        first_emma = book(db, actor=w.parent, slot_id=b[1].id, pupil_id=w.kid_b.id)
        cancel(db, actor=w.parent, booking_id=first_emma)
        emma = book(db, actor=w.parent, slot_id=b[2].id, pupil_id=w.kid_b.id)
        book(db, actor=w.other_parent, slot_id=a[2].id, pupil_id=w.other_kid.id)
        book(db, actor=w.mum, slot_id=a[3].id, pupil_id=w.split_kid.id)
        book(db, actor=w.dad, slot_id=a[4].id, pupil_id=w.split_kid.id)
    render_pending_confirmations()
    return w, [noah, emma]


def test_a_parent_gets_their_own_conversations_as_their_mails_have_them(factory: Factory) -> None:
    w, own = _booked_world(factory)
    response = get(PATH, token_of(factory, w.parent, w.school))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    assert 'filename="oudergesprekken.ics"' in response.headers["content-disposition"]
    events = _events(response.content)
    assert events == _mailed(_email(w.parent))  # the same UIDs, texts, times and rooms as the mails
    assert sorted(start for _s, start, _r in events.values()) == _starts(own)  # Emma's current one only
    assert {str(start.tzinfo) for _s, start, _r in events.values()} == {"Europe/Amsterdam"}
    school = w.school.name  # the location: room, then the school (and its address, when it has one)
    assert {room for _s, _start, room in events.values()} == {f"Lokaal 5, {school}", f"Lokaal 7, {school}"}


def test_each_household_gets_only_its_own_booking_of_a_shared_child(factory: Factory) -> None:
    w, _own = _booked_world(factory)
    mum = _events(get(PATH, token_of(factory, w.mum, w.school)).content)
    dad = _events(get(PATH, token_of(factory, w.dad, w.school)).content)
    assert len(mum) == len(dad) == 1 and mum.keys() != dad.keys()
    [(_summary, mum_start, _room)] = mum.values()
    [(_summary, dad_start, _room)] = dad.values()
    assert mum_start < dad_start  # mum booked the earlier time (slot 3), dad the later one (slot 4)


def test_nobody_but_a_signed_in_parent_gets_a_calendar(factory: Factory) -> None:
    w, _own = _booked_world(factory)
    assert get(PATH).status_code == 401
    assert get(PATH, token_of(factory, w.teacher_actor, w.school)).status_code == 404
    other_school = build_world(factory)
    stranger = _events(get(PATH, token_of(factory, other_school.parent, other_school.school)).content)
    assert stranger == {}  # a parent of another school: their own (none booked), nothing of this one


def test_a_conversation_that_has_been_leaves_the_calendar(factory: Factory) -> None:
    w, own = _booked_world(factory)
    with unscoped() as db:
        noah = db.get(Booking, own[0])
        assert noah is not None
        slot = db.get(Slot, noah.slot_id)
        assert slot is not None
        slot.starts_at, slot.ends_at = utcnow() - timedelta(hours=1), utcnow() - timedelta(minutes=50)
        db.add(slot)
        db.commit()
    events = _events(get(PATH, token_of(factory, w.parent, w.school)).content)
    assert sorted(start for _s, start, _r in events.values()) == _starts(own[1:])


def test_an_archived_round_leaves_the_calendar(factory: Factory) -> None:
    w, _own = _booked_world(factory)
    with school_session(w.school_id) as db:
        set_status(db, actor=w.admin, round_id=w.round_id, status="closed")
    assert len(_events(get(PATH, token_of(factory, w.parent, w.school)).content)) == 2  # still to come
    with school_session(w.school_id) as db:
        set_status(db, actor=w.admin, round_id=w.round_id, status="archived")
    assert _events(get(PATH, token_of(factory, w.parent, w.school)).content) == {}
