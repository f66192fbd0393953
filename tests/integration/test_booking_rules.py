"""Booking as a parent and as the school: ownership, window, deadline, family gap, households, mail."""

from __future__ import annotations

from datetime import time, timedelta
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar
from sqlmodel import col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, ClassTeacher, ConferenceRound, Guardian, OutboxMessage, RoundTeacher
from ogp_app.models.base import utcnow
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.mail.outbox import Attachment, to_email_message
from ogp_app.services.rounds import (
    AlreadyBooked,
    BookingNotFound,
    BookingWindowClosed,
    CancelDeadlinePassed,
    FamilyGapConflict,
    RoundNotFound,
    SlotNotFound,
    SlotTaken,
)
from ogp_app.services.rounds.booking import book, cancel, rebook, set_note
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from ogp_app.services.rounds.people import teachers_to_meet
from ogp_app.services.rounds.setup import DayInput, RoundInput, create_round, get_round, set_status
from ogp_app.services.rounds.views import free_slots, parent_rounds
from tests.support.factories import Factory
from tests.support.rounds import DAY, World, build_world


def _book(w: World, actor, slot_index: int, pupil, teacher=None, **kw) -> int:
    slot = w.slots(teacher or w.teacher_a)[slot_index]
    with school_session(w.school_id) as db:
        return book(db, actor=actor, slot_id=slot.id, pupil_id=pupil.id, **kw)


def _active(w: World) -> list[Booking]:
    with school_session(w.school_id) as db:
        return list(db.exec(select(Booking).where(col(Booking.cancelled_at).is_(None))).all())


def test_parent_books_own_child_and_gets_mail_with_ics(factory: Factory) -> None:
    w = build_world(factory)
    booking_id = _book(w, w.parent, 0, w.kid_a, note="Graag over rekenen")
    [booking] = _active(w)
    assert booking.id == booking_id and booking.note == "Graag over rekenen" and booking.household_key == 0
    assert booking.confirmation_pending  # committed with the booking; rendered by the mail worker
    assert (render_pending_confirmations(), render_pending_confirmations()) == (1, 0)  # once
    with unscoped() as db:
        [mail] = db.exec(select(OutboxMessage).where(OutboxMessage.template == "booking_confirmed")).all()
        assert db.get(Booking, booking_id).confirmation_pending is False  # type: ignore[union-attr]
    assert "Noah" in mail.subject and "19:00" in mail.subject
    [attachment] = [Attachment.from_json(a) for a in mail.attachments]
    event = Calendar.from_ical(attachment.data).walk("VEVENT")[0]
    assert str(event["location"]) == f"Lokaal 5, {w.school.name}"  # room and school (no address here)
    assert event.decoded("dtstart").tzinfo is not None and "Europe/Amsterdam" in attachment.data.decode()
    parsed = message_from_bytes(bytes(to_email_message(mail)), policy=policy.default)
    assert [p.get_content_type() for p in parsed.iter_attachments()] == ["text/calendar"]


def test_parent_cannot_book_for_a_child_not_theirs(factory: Factory) -> None:
    w = build_world(factory)
    with pytest.raises(PermissionDenied):
        _book(w, w.other_parent, 0, w.kid_a)
    assert _active(w) == []


def test_parent_cannot_touch_another_schools_round(factory: Factory) -> None:
    w = build_world(factory)
    other = build_world(factory)
    foreign_slot = other.slots(other.teacher_a)[0]
    with school_session(w.school_id) as db, pytest.raises((SlotNotFound, PermissionDenied)):
        book(db, actor=w.parent, slot_id=foreign_slot.id, pupil_id=w.kid_a.id)
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):  # their pupil, our scope
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=other.kid_a.id)
    with school_session(w.school_id) as db, pytest.raises(RoundNotFound):
        free_slots(
            db,
            actor=w.parent,
            round_id=other.round_id,
            pupil_id=w.kid_a.id,
            teacher_id=w.teacher_a.id,
            now=utcnow(),
        )
    assert _active(w) == [] and _active(other) == []


def test_parent_cannot_book_a_teacher_the_child_does_not_meet(factory: Factory) -> None:
    w = build_world(factory)
    with pytest.raises(PermissionDenied):
        _book(w, w.parent, 0, w.kid_a, teacher=w.teacher_b)


def test_parent_cannot_book_the_mentor_of_a_class_outside_the_round(factory: Factory) -> None:
    """The mentor is in the round, but this child's class does not take part."""
    w = build_world(factory)
    outside = factory.school_class(w.school, "Groep 8")
    assert outside.id is not None and w.teacher_a.id is not None
    factory.session.add(ClassTeacher(school_id=w.school_id, class_id=outside.id, teacher_id=w.teacher_a.id))
    factory.session.commit()
    guardian = factory.session.exec(select(Guardian).where(Guardian.user_id == w.parent.user_id)).one()
    kid = factory.pupil(w.school, outside, guardian, first_name="Sem")
    with pytest.raises(PermissionDenied):
        _book(w, w.parent, 0, kid)
    assert _active(w) == []


def test_slot_holds_one_booking_and_pupil_one_per_teacher(factory: Factory) -> None:
    w = build_world(factory)
    _book(w, w.parent, 0, w.kid_a)
    with pytest.raises(SlotTaken):
        _book(w, w.other_parent, 0, w.other_kid)
    with pytest.raises(AlreadyBooked):
        _book(w, w.parent, 1, w.kid_a)
    assert len(_active(w)) == 1


def test_a_booking_is_committed_whether_or_not_the_session_had_read_before(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        db.exec(select(ConferenceRound)).all()  # the session holds a transaction now
        first = book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
        second = book(db, actor=w.parent, slot_id=w.slots(w.teacher_b)[1].id, pupil_id=w.kid_b.id)
    assert {b.id for b in _active(w)} == {first, second}  # seen from another session


def test_window_closed_for_parents_but_not_for_the_school(factory: Factory) -> None:
    w = build_world(factory, open_now=False)
    with pytest.raises(BookingWindowClosed):
        _book(w, w.parent, 0, w.kid_a)
    _book(w, w.admin, 0, w.kid_a)
    later = utcnow() + timedelta(days=8)  # after closing
    with pytest.raises(BookingWindowClosed):
        _book(w, w.parent, 0, w.kid_b, teacher=w.teacher_b, now=later)


def test_cancel_and_rebook_until_the_deadline(factory: Factory) -> None:
    w = build_world(factory)
    first = _book(w, w.parent, 0, w.kid_a)
    with school_session(w.school_id) as db:
        moved = rebook(db, actor=w.parent, booking_id=first, slot_id=w.slots(w.teacher_a)[2].id)
    with school_session(w.school_id) as db:
        set_note(db, actor=w.parent, booking_id=moved, note="  kort  ")
        with pytest.raises(CancelDeadlinePassed):
            cancel(db, actor=w.parent, booking_id=moved, now=utcnow() + timedelta(days=6, hours=1))
        cancel(db, actor=w.parent, booking_id=moved)
    assert _active(w) == []
    with school_session(w.school_id) as db:
        rows = db.exec(select(Booking).order_by(col(Booking.id))).all()
    assert [r.slot_id for r in rows] == [w.slots(w.teacher_a)[0].id, w.slots(w.teacher_a)[2].id]
    assert rows[1].note == "kort" and rows[1].cancelled_by_user_id == w.parent.user_id


def test_a_booking_cancelled_or_moved_before_its_confirmation_gets_only_the_latest_mail(
    factory: Factory,
) -> None:
    w = build_world(factory)
    moved = _book(w, w.parent, 0, w.kid_a)
    dropped = _book(w, w.parent, 1, w.kid_b, teacher=w.teacher_b)
    with school_session(w.school_id) as db:  # both within seconds, before the mail worker's round
        rebook(db, actor=w.parent, booking_id=moved, slot_id=w.slots(w.teacher_a)[3].id)
        cancel(db, actor=w.parent, booking_id=dropped)
    render_pending_confirmations()
    with unscoped() as db:
        mails = db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert [m.template for m in mails] == ["booking_confirmed", "booking_cancelled"]
    assert "19:30" in mails[0].subject  # the moved-to time, never the first one (19:00)
    assert "Emma" in mails[1].subject or "Emma" in mails[1].text_body


def test_rebook_onto_a_taken_slot_keeps_the_old_booking(factory: Factory) -> None:
    w = build_world(factory)
    mine = _book(w, w.parent, 0, w.kid_a)
    _book(w, w.other_parent, 1, w.other_kid)
    with school_session(w.school_id) as db, pytest.raises(SlotTaken):
        rebook(db, actor=w.parent, booking_id=mine, slot_id=w.slots(w.teacher_a)[1].id)
    assert {b.id for b in _active(w)} >= {mine}


def test_parent_cannot_cancel_another_familys_booking(factory: Factory) -> None:
    w = build_world(factory)
    theirs = _book(w, w.other_parent, 0, w.other_kid)
    with school_session(w.school_id) as db, pytest.raises(BookingNotFound):
        cancel(db, actor=w.parent, booking_id=theirs)
    assert len(_active(w)) == 1


def test_family_cannot_be_in_two_rooms_at_once_and_gap_is_kept(factory: Factory) -> None:
    w = build_world(factory, family_gap=10)
    _book(w, w.parent, 2, w.kid_a)  # 19:20 with teacher A
    with pytest.raises(FamilyGapConflict):
        _book(w, w.parent, 2, w.kid_b, teacher=w.teacher_b)  # same time, other room
    with pytest.raises(FamilyGapConflict):
        _book(w, w.parent, 3, w.kid_b, teacher=w.teacher_b)  # 19:30: right after, but 10 minutes needed
    _book(w, w.parent, 4, w.kid_b, teacher=w.teacher_b)  # 19:40 is fine


def test_without_a_gap_siblings_may_follow_each_other_but_not_overlap(factory: Factory) -> None:
    w = build_world(factory)  # no gap set: only being in two rooms at once is refused
    _book(w, w.parent, 2, w.kid_a)  # 19:20-19:30 with teacher A in Lokaal 5
    with pytest.raises(FamilyGapConflict):
        _book(w, w.parent, 2, w.kid_b, teacher=w.teacher_b)  # 19:20 in Lokaal 7
    _book(w, w.parent, 3, w.kid_b, teacher=w.teacher_b)  # 19:30, straight after
    booked = sorted((b.pupil_id, b.slot_id) for b in _active(w))
    assert booked == sorted(
        [(w.kid_a.id, w.slots(w.teacher_a)[2].id), (w.kid_b.id, w.slots(w.teacher_b)[3].id)]
    )


def test_siblings_are_offered_back_to_back_times(factory: Factory) -> None:
    w = build_world(factory)
    _book(w, w.parent, 2, w.kid_a)  # 19:20-19:30 with teacher A
    with school_session(w.school_id) as db:
        days = free_slots(
            db,
            actor=w.parent,
            round_id=w.round_id,
            pupil_id=w.kid_b.id,
            teacher_id=w.teacher_b.id,
            now=utcnow(),
        )
    suggested = [s.starts_at for d in days for s in d.slots if s.suggested]
    slots_b = w.slots(w.teacher_b)
    assert suggested == [slots_b[1].starts_at, slots_b[3].starts_at]  # 19:10 and 19:30


def test_separated_households_each_book_and_do_not_see_the_other(factory: Factory) -> None:
    w = build_world(factory)
    mum_booking = _book(w, w.mum, 0, w.split_kid)
    _book(w, w.dad, 3, w.split_kid)
    assert len(_active(w)) == 2
    with school_session(w.school_id) as db:
        dad_view = parent_rounds(db, actor=w.dad, now=utcnow())
        with pytest.raises(BookingNotFound):
            cancel(db, actor=w.dad, booking_id=mum_booking)
    [meeting] = dad_view[0].children[0].meetings
    assert meeting.slot_id == w.slots(w.teacher_a)[3].id  # his own, never hers
    with pytest.raises(AlreadyBooked):
        _book(w, w.mum, 4, w.split_kid)


def test_school_books_on_behalf_and_the_family_is_told(factory: Factory) -> None:
    w = build_world(factory)
    _book(w, w.teacher_actor, 1, w.kid_a)
    with pytest.raises(PermissionDenied):  # a teacher books only in their own slots
        _book(w, w.teacher_actor, 1, w.kid_b, teacher=w.teacher_b)
    with pytest.raises(PermissionDenied):  # per-household pupil: the school names the household
        _book(w, w.admin, 2, w.split_kid)
    _book(w, w.admin, 2, w.split_kid, household_id=w.mum_household.id)
    with unscoped() as db:
        mails = db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert len(mails) == 2 and "heeft een gesprek" in mails[0].text_body


def test_parent_overview_shows_each_rounds_own_teachers_and_bookings(factory: Factory) -> None:
    """A subject round meets the class's subject teachers (a mentor in it too is not met), a mentor round
    its mentor; a booking shows in its own round only."""
    w = build_world(factory, kind="subject")  # Noah's class: Wiskunde (teacher_a); Emma's: teacher_b
    mentor = factory.teacher(w.school, w.class_a, room="Lokaal 1")
    english = factory.teacher(w.school, w.class_a, subject="Engels", room="Lokaal 9")
    assert w.class_a.id is not None
    with school_session(w.school_id) as db:
        for teacher in (mentor, english):
            assert teacher.id is not None
            db.add(RoundTeacher(school_id=w.school_id, round_id=w.round_id, teacher_id=teacher.id, room="R2"))
        db.commit()
        times = [DayInput(DAY + timedelta(days=1), time(19, 0), time(20, 0))]
        mentor_round = create_round(
            db,
            actor=w.admin,
            data=RoundInput(
                name="Mentorgesprekken",
                class_ids=[w.class_a.id],
                days=times,
                meeting_kind="mentor",
                booking_opens_at=utcnow() - timedelta(hours=1),
                booking_closes_at=utcnow() + timedelta(days=7),
            ),
        )
        set_status(db, actor=w.admin, round_id=mentor_round, status="open")
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id, send_mail=False)
        rounds = parent_rounds(db, actor=w.parent, now=utcnow())
        # The same rule where the school books and where a round takes its teachers from the classes.
        subject_round, mentors_round = get_round(db, w.round_id), get_round(db, mentor_round)
        assert set(teachers_to_meet(db, rnd=subject_round, class_id=w.class_a.id)) == {
            w.teacher_a.id,
            english.id,
        }
        assert teachers_to_meet(db, rnd=mentors_round, class_id=w.class_a.id) == [mentor.id]
        taken_in = db.exec(select(RoundTeacher.teacher_id).where(RoundTeacher.round_id == mentor_round)).all()
        assert taken_in == [mentor.id]

    shown = {
        (r.name, c.name): [(m.teacher_name, m.room, m.booking_id is not None) for m in c.meetings]
        for r in rounds
        for c in r.children
    }
    assert shown == {
        ("Rapportgesprekken", "Emma Jansen"): [(w.teacher_b.display_name, "Lokaal 7", False)],
        ("Rapportgesprekken", "Noah Jansen"): [
            (w.teacher_a.display_name, "Lokaal 5", True),
            (english.display_name, "R2", False),
        ],
        ("Mentorgesprekken", "Noah Jansen"): [(mentor.display_name, "Lokaal 1", False)],
    }
    assert [c.class_name for r in rounds for c in r.children] == ["Groep 7", "Groep 5", "Groep 5"]


def test_parent_overview_lists_children_and_teachers_of_open_rounds_only(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        [rnd] = parent_rounds(db, actor=w.parent, now=utcnow())
        assert [c.name for c in rnd.children] == ["Emma Jansen", "Noah Jansen"]
        assert [m.teacher_name for c in rnd.children for m in c.meetings] == [
            w.teacher_b.display_name,
            w.teacher_a.display_name,
        ]
        round_row = db.get(ConferenceRound, w.round_id)
        assert round_row is not None
        round_row.status = "draft"
        db.add(round_row)
        db.commit()
        assert parent_rounds(db, actor=w.parent, now=utcnow()) == []
