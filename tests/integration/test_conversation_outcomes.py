"""After the conversation: the teacher marks attendance and writes a note; the note reaches the pupil's
staff only (the admins and the teachers of the pupil's class), never a family unless the school shares
the summary, and goes with the booking (retention, erasure); the admin counts attendance per class and
sees which families the school has not spoken to this school year."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ConversationOutcome, Role, School, Teacher
from ogp_app.models.outcomes import HELD, MOVED, NO_SHOW
from ogp_app.pages.school.teacher_evening.outcomes import outcome_fields
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.privacy.erasure import erase_user
from ogp_app.services.privacy.export import collect_user
from ogp_app.services.rounds import BookingNotFound
from ogp_app.services.rounds import outcomes as svc
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.booking_retention import purge_old_bookings
from ogp_app.services.rounds.clock import local_instant, to_local
from ogp_app.services.rounds.views import EveningRow
from tests.support.factories import Factory
from tests.support.rounds import World, build_world


def _booked(
    w: World, parent: Actor, pupil_id: int | None, index: int = 0, teacher: str = "a"
) -> tuple[int, datetime]:
    slot = w.slots(w.teacher_a if teacher == "a" else w.teacher_b)[index]
    with school_session(w.school_id) as db:
        return book(db, actor=parent, slot_id=slot.id, pupil_id=pupil_id), slot.starts_at


def _signed_in_teacher_b(factory: Factory, w: World) -> Actor:
    """Groep 7's teacher with an account of their own (the world's teacher B has none)."""
    user = factory.member(w.school, Role.TEACHER)
    with school_session(w.school_id) as db:
        teacher = db.get(Teacher, w.teacher_b.id)
        assert teacher is not None and user.id is not None
        teacher.user_id = user.id
        db.add(teacher)
        db.commit()
    return Actor(user_id=user.id, school_id=w.school_id, is_teacher=True)


def test_the_teacher_marks_their_own_conversations_from_the_day_on(factory: Factory) -> None:
    w = build_world(factory)
    booking_id, starts = _booked(w, w.parent, w.kid_a.id)
    on_the_evening = starts + timedelta(minutes=12)
    with school_session(w.school_id) as db:
        with pytest.raises(InvalidInput) as early:
            svc.mark_attendance(
                db,
                actor=w.teacher_actor,
                booking_id=booking_id,
                attendance=HELD,
                now=starts - timedelta(days=1),
            )
        assert early.value.message_key == "outcomes.error.too_early"
        for refused in (w.parent, w.admin, w.other_parent):  # not their conversation to mark
            with pytest.raises(BookingNotFound):
                svc.mark_attendance(
                    db, actor=refused, booking_id=booking_id, attendance=HELD, now=on_the_evening
                )
        with pytest.raises(InvalidInput):
            svc.mark_attendance(
                db, actor=w.teacher_actor, booking_id=booking_id, attendance="maybe", now=on_the_evening
            )
        marked = svc.mark_attendance(
            db, actor=w.teacher_actor, booking_id=booking_id, attendance=NO_SHOW, now=on_the_evening
        )
        again = svc.mark_attendance(
            db, actor=w.teacher_actor, booking_id=booking_id, attendance=HELD, now=on_the_evening
        )
        assert (marked.attendance, again.attendance) == (NO_SHOW, HELD)
        assert (
            svc.teacher_outcomes(db, actor=w.teacher_actor, booking_ids=[booking_id])[booking_id].attendance
            == HELD
        )
        assert db.exec(select(ConversationOutcome)).all()[0].attendance == HELD  # one row per conversation


def test_a_note_reaches_the_pupils_staff_only_and_the_family_only_its_shared_summary(
    factory: Factory,
) -> None:
    w = build_world(factory)
    booking_id, _starts = _booked(w, w.parent, w.kid_a.id)
    with school_session(w.school_id) as db:
        svc.write_note(
            db,
            actor=w.teacher_actor,
            booking_id=booking_id,
            note="Extra begeleiding bij rekenen afgesproken",
            follow_up_on=date(2027, 3, 1),
            family_summary="We oefenen thuis de tafels.",
        )
        [note] = svc.pupil_notes(db, actor=w.teacher_actor, pupil_id=w.kid_a.id)  # teacher of groep 5
        assert note.note.startswith("Extra begeleiding") and note.follow_up_on == date(2027, 3, 1)
        assert svc.pupil_notes(db, actor=w.admin, pupil_id=w.kid_a.id) == [note]
        teacher_b = _signed_in_teacher_b(factory, w)
        for refused in (w.parent, w.other_parent, teacher_b):
            with pytest.raises(PermissionDenied):
                svc.pupil_notes(db, actor=refused, pupil_id=w.kid_a.id)
        assert svc.family_summaries(db, school_id=w.school_id, booking_ids=[booking_id]) == {}  # not shared
        school = db.get(School, w.school_id)
        assert school is not None
        school.share_summaries = True
        db.add(school)
        db.commit()
        assert svc.family_summaries(db, school_id=w.school_id, booking_ids=[booking_id]) == {
            booking_id: "We oefenen thuis de tafels."
        }
    other = build_world(factory)
    with school_session(other.school_id) as db, pytest.raises(PermissionDenied):
        svc.pupil_notes(db, actor=other.admin, pupil_id=w.kid_a.id)  # another school's admin: not found


def test_notes_go_with_their_booking_and_the_writer_is_forgotten_on_erasure(factory: Factory) -> None:
    w = build_world(factory)
    booking_id, starts = _booked(w, w.parent, w.kid_a.id)
    with school_session(w.school_id) as db:
        svc.write_note(db, actor=w.teacher_actor, booking_id=booking_id, note="Afspraak over huiswerk")
    with unscoped() as db:
        exported = collect_user(db, user_id=w.parent.user_id).tables["conversation_outcome"].rows
        assert [row["note"] for row in exported] == ["Afspraak over huiswerk"]  # the family may see it
        erase_user(db, user_id=w.teacher_actor.user_id)
        db.commit()
        [row] = db.exec(select(ConversationOutcome)).all()
        assert row.written_by_user_id is None and row.note == "Afspraak over huiswerk"  # the school's record
        purge_old_bookings(db, now=starts + timedelta(days=400))  # after the school's 12 months
        db.commit()
        assert db.exec(select(ConversationOutcome)).all() == []


def test_attendance_per_class_and_the_families_not_seen_this_school_year(factory: Factory) -> None:
    w = build_world(factory)
    noah, starts = _booked(w, w.parent, w.kid_a.id, 0)
    liam, _ = _booked(w, w.other_parent, w.other_kid.id, 1)
    mums, _ = _booked(w, w.mum, w.split_kid.id, 2)
    _booked(w, w.parent, w.kid_b.id, 3, teacher="b")  # Emma's: not marked, so counted as held
    after = starts + timedelta(hours=3)
    with school_session(w.school_id) as db:
        svc.mark_attendance(db, actor=w.teacher_actor, booking_id=noah, attendance=HELD, now=after)
        svc.mark_attendance(db, actor=w.teacher_actor, booking_id=liam, attendance=NO_SHOW, now=after)
        svc.mark_attendance(db, actor=w.teacher_actor, booking_id=mums, attendance=MOVED, now=after)
        rows = {
            r.class_name: r
            for r in svc.attendance_per_class(db, actor=w.admin, round_id=w.round_id, now=after)
        }
        with pytest.raises(PermissionDenied):
            svc.attendance_per_class(db, actor=w.teacher_actor, round_id=w.round_id, now=after)
        unseen = svc.families_not_seen(db, actor=w.admin, now=after)
        teachers_view = svc.families_not_seen(db, actor=w.teacher_actor, now=after)
    g5 = rows["Groep 5"]
    assert (g5.booked, g5.held, g5.no_show, g5.moved, g5.unmarked) == (3, 1, 1, 1, 0)
    assert (rows["Groep 7"].booked, rows["Groep 7"].unmarked) == (1, 1)
    names = {c.class_name: sorted(f.pupil for f in c.families) for c in unseen}
    assert names["Groep 7"] == []  # Emma was seen
    assert "Noah" not in " ".join(names["Groep 5"])  # held
    assert any("Liam" in n for n in names["Groep 5"])  # no-show: not seen
    julia = [f for c in unseen for f in c.families if "Julia" in f.pupil]
    assert {f.household_key for f in julia} == {
        w.mum_household.id,
        w.dad_household.id,
    }  # moved; dad never came
    assert [c.class_name for c in teachers_view] == ["Groep 5"]  # a teacher: their own classes
    with school_session(w.school_id) as db, pytest.raises(PermissionDenied):
        svc.families_not_seen(db, actor=w.parent, now=after)


def test_the_evening_page_offers_marking_exactly_when_the_service_takes_it(factory: Factory) -> None:
    """One rule for both sides: the row's buttons (outcome_fields.can_mark) show where mark_attendance
    accepts, over moments from days before to days after the conversation (local midnight included)."""
    w = build_world(factory)
    booking_id, starts = _booked(w, w.parent, w.kid_a.id)
    row = EveningRow(0, starts, starts + timedelta(minutes=10), "booked", booking_id)
    teacher = w.teacher_actor

    @given(minutes=st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60) | st.integers(-1250, -1100))
    @settings(max_examples=60, deadline=None)
    def check(minutes: int) -> None:
        now = starts + timedelta(minutes=minutes)
        offered = outcome_fields(None, row, now)["can_mark"]
        with school_session(w.school_id) as db:
            try:
                svc.mark_attendance(db, actor=teacher, booking_id=booking_id, attendance=HELD, now=now)
            except InvalidInput:
                taken = False
            else:
                taken = True
        assert offered == taken
        assert offered == (now >= local_instant(to_local(starts).date(), time(0, 0)))  # its local day on

    check()
