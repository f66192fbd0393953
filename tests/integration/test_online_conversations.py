"""Online conversations on the school's own video service: the link reaches the people of that
conversation only (its household's parents and its teacher), from ten minutes before; each household of a
separated pupil chooses for itself; rooms go with their booking; settings refuse what would mislead."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.integrations.mailer import SmtpMailer
from ogp_app.models import Booking, ConversationJoin, ConversationRoom, Guardian, Pupil, TeacherVideoLink
from ogp_app.models.base import utcnow
from ogp_app.models.video import CONVERSATION_MODES, FAMILY_CHOICE, JITSI, ONLINE, TEACHER_LINK
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.mail.outbox import deliver_due
from ogp_app.services.privacy.erasure import erase_user
from ogp_app.services.privacy.export import collect_school, collect_user
from ogp_app.services.rounds import BookingNotFound, exports
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book, cancel, rebook
from ogp_app.services.rounds.clock import format_when, local_instant
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from ogp_app.services.rounds.online import joining, setup
from ogp_app.services.rounds.online.errors import OnlineChoiceNotOffered, VideoServiceMissing, VideoUrlInvalid
from ogp_app.services.rounds.reminders import send_day_before
from ogp_app.services.rounds.views import teacher_evening
from tests.support.factories import Factory
from tests.support.rounds import DAY, World, build_world
from tests.support.smtp import SmtpServer

JITSI_BASE = "https://meet.school.example/"
ROOM_LINK = re.compile(r"https://meet\.school\.example/ogp-[0-9a-f]{40}")


def _online_world(factory: Factory, mode: str = ONLINE, kind: str = JITSI) -> World:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        setup.configure_video(
            db, actor=w.admin, kind=kind, jitsi_base_url=JITSI_BASE if kind == JITSI else ""
        )
        setup.set_round_mode(db, actor=w.admin, round_id=w.round_id, mode=mode)
    return w


def _book(w: World, parent: Actor, pupil: Pupil, index: int) -> tuple[int, datetime]:
    slot = w.slots(w.teacher_a)[index]
    with school_session(w.school_id) as db:
        booking_id = book(db, actor=parent, slot_id=slot.id, pupil_id=pupil.id)
    return booking_id, slot.starts_at


def _parent_sees(w: World, parent: Actor, booking_id: int, now: datetime) -> joining.OnlineJoin | None:
    with school_session(w.school_id) as db:
        return joining.parent_joins(db, actor=parent, booking_ids=[booking_id], now=now).get(booking_id)


def _teacher_sees(w: World, booking_id: int, now: datetime) -> joining.OnlineJoin | None:
    with school_session(w.school_id) as db:
        return joining.teacher_joins(db, actor=w.teacher_actor, booking_ids=[booking_id], now=now).get(
            booking_id
        )


def _make_joint(w: World) -> None:
    with school_session(w.school_id) as db:
        julia = db.get(Pupil, w.split_kid.id)
        assert julia is not None
        julia.meeting_mode = "joint"
        db.add(julia)
        db.commit()


def test_an_online_round_shows_each_household_its_own_room_from_ten_minutes_before(factory: Factory) -> None:
    w = _online_world(factory)  # Julia's separated parents: a conversation per household
    mums, starts = _book(w, w.mum, w.split_kid, 0)
    dads, dad_starts = _book(w, w.dad, w.split_kid, 3)

    early = _parent_sees(w, w.mum, mums, starts - timedelta(hours=2))
    assert early is not None and early.online and early.url == ""  # not yet: the page says when
    assert early.opens_at == starts - timedelta(minutes=10) and not early.may_choose

    mum_now = _parent_sees(w, w.mum, mums, starts - timedelta(minutes=5))
    dad_now = _parent_sees(w, w.dad, dads, dad_starts - timedelta(minutes=5))
    assert mum_now is not None and ROOM_LINK.fullmatch(mum_now.url)
    assert dad_now is not None and ROOM_LINK.fullmatch(dad_now.url) and dad_now.url != mum_now.url
    # The other household, another family and the admin's parent view get nothing for her booking.
    assert _parent_sees(w, w.dad, mums, starts) is None
    assert _parent_sees(w, w.other_parent, mums, starts) is None
    # The teacher joins the same room; the room stays the same on every view.
    teacher = _teacher_sees(w, mums, starts - timedelta(minutes=5))
    assert teacher is not None and teacher.url == mum_now.url
    assert _parent_sees(w, w.mum, mums, starts).url == mum_now.url  # type: ignore[union-attr]
    assert _parent_sees(w, w.mum, mums, starts + timedelta(hours=2)).url == ""  # type: ignore[union-attr]


def test_in_a_joint_meeting_one_parent_joins_online_while_the_other_comes_to_school(factory: Factory) -> None:
    w = _online_world(factory, mode=FAMILY_CHOICE)
    _make_joint(w)
    booking_id, starts = _book(w, w.mum, w.split_kid, 0)
    before = starts - timedelta(days=1)
    assert _parent_sees(w, w.dad, booking_id, before) == joining.OnlineJoin(
        FAMILY_CHOICE, False, True, "", None
    )

    with school_session(w.school_id) as db:
        dad_choice = joining.choose_online(db, actor=w.dad, booking_id=booking_id, online=True, now=before)
    assert dad_choice.online and dad_choice.opens_at == starts - timedelta(minutes=10)
    at_start = starts - timedelta(minutes=1)
    dad, mum = _parent_sees(w, w.dad, booking_id, at_start), _parent_sees(w, w.mum, booking_id, at_start)
    assert dad is not None and ROOM_LINK.fullmatch(dad.url) and dad.may_choose  # until it starts
    assert mum is not None and not mum.online and mum.url == ""  # she comes to school
    teacher = _teacher_sees(w, booking_id, at_start)
    assert teacher is not None and teacher.online and teacher.url == dad.url

    with school_session(w.school_id) as db, pytest.raises(OnlineChoiceNotOffered):
        joining.choose_online(db, actor=w.mum, booking_id=booking_id, online=True, now=starts)  # too late
    with school_session(w.school_id) as db, pytest.raises(BookingNotFound):
        joining.choose_online(db, actor=w.other_parent, booking_id=booking_id, online=True, now=before)
    with school_session(w.school_id) as db, pytest.raises(OnlineChoiceNotOffered):
        joining.choose_online(db, actor=w.dad, booking_id=booking_id, online="yes", now=before)  # type: ignore[arg-type]


def test_teacher_links_reach_their_own_conversations_and_only_the_teacher_or_an_admin_sets_them(
    factory: Factory,
) -> None:
    w = _online_world(factory, kind=TEACHER_LINK)
    link = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0?context=abc"
    with school_session(w.school_id) as db:
        assert setup.set_teacher_link(db, actor=w.teacher_actor, teacher_id=w.teacher_a.id, url=link) == link
        with pytest.raises(PermissionDenied):  # a teacher sets only their own
            setup.set_teacher_link(db, actor=w.teacher_actor, teacher_id=w.teacher_b.id, url=link)
        with pytest.raises(PermissionDenied):
            setup.set_teacher_link(db, actor=w.parent, teacher_id=w.teacher_a.id, url=link)
        with pytest.raises(VideoUrlInvalid):
            setup.set_teacher_link(db, actor=w.admin, teacher_id=w.teacher_b.id, url="https://10.1.2.3/x")
    booking_id, starts = _book(w, w.parent, w.kid_a, 0)
    seen = _parent_sees(w, w.parent, booking_id, starts)
    assert seen is not None and seen.url == link and not seen.no_link

    with school_session(w.school_id) as db:
        setup.set_teacher_link(db, actor=w.admin, teacher_id=w.teacher_a.id, url="")
    gone = _parent_sees(w, w.parent, booking_id, starts)
    assert gone is not None and gone.online and gone.url == "" and gone.no_link  # the page tells the school


def test_online_needs_a_video_service_and_the_service_stays_while_a_round_is_online(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        with pytest.raises(VideoServiceMissing):
            setup.set_round_mode(db, actor=w.admin, round_id=w.round_id, mode=ONLINE)
        with pytest.raises(PermissionDenied):
            setup.configure_video(db, actor=w.teacher_actor, kind=JITSI, jitsi_base_url=JITSI_BASE)
        for bad in ("http://meet.school.example/", "https://meet.school.example/?room=x", "https://jitsi/"):
            with pytest.raises(VideoUrlInvalid):
                setup.configure_video(db, actor=w.admin, kind=JITSI, jitsi_base_url=bad)
        setup.configure_video(db, actor=w.admin, kind=JITSI, jitsi_base_url=JITSI_BASE)
        setup.set_teacher_mode(db, actor=w.admin, round_id=w.round_id, teacher_id=w.teacher_a.id, mode=ONLINE)
        with pytest.raises(VideoServiceMissing):
            setup.configure_video(db, actor=w.admin, kind="")
    # The round is on site, but this teacher is online that evening.
    booking_id, starts = _book(w, w.parent, w.kid_a, 0)
    seen = _parent_sees(w, w.parent, booking_id, starts)
    assert seen is not None and seen.mode == ONLINE and ROOM_LINK.fullmatch(seen.url)


def test_another_school_never_reaches_the_rooms_and_rooms_go_with_their_booking(factory: Factory) -> None:
    w = _online_world(factory)
    booking_id, starts = _book(w, w.parent, w.kid_a, 0)
    assert _parent_sees(w, w.parent, booking_id, starts) is not None  # the room is made
    other = build_world(factory)
    with school_session(other.school_id) as db:
        assert joining.parent_joins(db, actor=other.parent, booking_ids=[booking_id], now=starts) == {}
        assert db.exec(select(ConversationRoom)).all() == []  # the scope hides the other school's rooms
    with unscoped() as db:
        db.delete(db.get(Booking, booking_id))
        db.commit()
        assert db.exec(select(ConversationRoom).where(ConversationRoom.booking_id == booking_id)).all() == []


def test_a_parents_export_holds_their_rooms_and_choices_and_erasure_forgets_who_chose(
    factory: Factory,
) -> None:
    w = _online_world(factory, mode=FAMILY_CHOICE)
    _make_joint(w)
    booking_id, starts = _book(w, w.mum, w.split_kid, 0)
    with school_session(w.school_id) as db:
        joining.choose_online(db, actor=w.mum, booking_id=booking_id, online=True, now=utcnow())
    _parent_sees(w, w.mum, booking_id, starts)  # makes the room
    with unscoped() as db:
        tables = collect_user(db, user_id=w.mum.user_id).tables
        assert [r["online"] for r in tables["conversation_join"].rows] == [True]
        [room] = tables["conversation_room"].rows
        assert room["booking_id"] == booking_id and "room" not in room  # the room name stays out
        school_rooms = collect_school(db, school_id=w.school_id).tables["conversation_room"].rows
        assert school_rooms and all("room" not in row for row in school_rooms)
        assert "conversation_room" not in collect_user(db, user_id=w.other_parent.user_id).tables
        erase_user(db, user_id=w.mum.user_id)
        db.commit()
        [choice] = db.exec(select(ConversationJoin).where(ConversationJoin.booking_id == booking_id)).all()
    assert choice.chosen_by_user_id is None


def test_a_teachers_link_goes_when_the_teacher_deletes_their_account(factory: Factory) -> None:
    w = _online_world(factory, kind=TEACHER_LINK)
    with school_session(w.school_id) as db:
        setup.set_teacher_link(
            db, actor=w.teacher_actor, teacher_id=w.teacher_a.id, url="https://meet.google.com/x"
        )
    with unscoped() as db:
        erase_user(db, user_id=w.teacher_actor.user_id)
        db.commit()
        assert db.exec(select(TeacherVideoLink)).all() == []


def test_a_moved_conversation_keeps_its_room_and_choices_and_a_cancelled_one_loses_them(
    factory: Factory,
) -> None:
    w = _online_world(factory, mode=FAMILY_CHOICE)
    booking_id, starts = _book(w, w.parent, w.kid_a, 0)
    with school_session(w.school_id) as db:
        joining.choose_online(db, actor=w.parent, booking_id=booking_id, online=True, now=utcnow())
    link = _parent_sees(w, w.parent, booking_id, starts).url  # type: ignore[union-attr]
    with school_session(w.school_id) as db:
        moved = rebook(db, actor=w.parent, booking_id=booking_id, slot_id=w.slots(w.teacher_a)[2].id)
    later = w.slots(w.teacher_a)[2].starts_at
    seen = _parent_sees(w, w.parent, moved, later)
    assert seen is not None and seen.online and seen.url == link  # the link in the first mail still works
    with school_session(w.school_id) as db:
        cancel(db, actor=w.parent, booking_id=moved)
        assert db.exec(select(ConversationRoom)).all() == [] and db.exec(select(ConversationJoin)).all() == []


def _mails(smtp: SmtpServer) -> dict[str, EmailMessage]:
    """Render the confirmations and send what is due; recipient -> the message, since the last call."""
    before = len(smtp.messages)
    render_pending_confirmations()
    deliver_due(db_session, SmtpMailer(host="127.0.0.1", port=smtp.port, starttls=False, timeout=5))
    return {str(m["To"]).split("<")[-1].rstrip(">"): m for m in smtp.messages[before:]}


def _text_and_calendar(message: EmailMessage) -> tuple[str, str]:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    [ics] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    return body.get_content(), ics.get_content() if isinstance(
        ics.get_content(), str
    ) else ics.get_content().decode()


def test_mails_and_calendar_files_carry_the_link_to_the_household_that_joins_online_only(
    factory: Factory, smtp_server: SmtpServer
) -> None:
    w = _online_world(factory, mode=FAMILY_CHOICE)
    _make_joint(w)
    mum, dad = _guardian(w, w.mum), _guardian(w, w.dad)
    booking_id, _starts = _book(w, w.mum, w.split_kid, 0)
    with school_session(w.school_id) as db:
        joining.choose_online(db, actor=w.dad, booking_id=booking_id, online=True, now=utcnow())
    _mails(smtp_server)  # the booking's confirmations went out before dad chose
    with school_session(w.school_id) as db:  # the school moves it: both households hear
        moved = rebook(db, actor=w.admin, booking_id=booking_id, slot_id=w.slots(w.teacher_a)[4].id)
    mail = _mails(smtp_server)
    dad_text, dad_ics = _text_and_calendar(mail[dad.email])
    mum_text, mum_ics = _text_and_calendar(mail[mum.email])
    [link] = ROOM_LINK.findall(dad_text)
    opens = format_when(w.slots(w.teacher_a)[4].starts_at - timedelta(minutes=10), "nl", "HH:mm")
    assert "Waar: online" in dad_text and f"De link werkt vanaf {opens}" in dad_text
    assert f"URL:{link}" in dad_ics.replace("\r\n ", "") and f"LOCATION:{link}" in dad_ics.replace(
        "\r\n ", ""
    )
    assert "ogp-" not in mum_text and "ogp-" not in mum_ics and "Lokaal 5" in mum_text  # she comes to school
    seen = _parent_sees(w, w.dad, moved, w.slots(w.teacher_a)[4].starts_at)
    assert seen is not None and seen.url == link  # the mailed link is the page's link

    send_day_before(unscoped, now=local_instant(DAY - timedelta(days=1), time(9, 0)))
    reminders = _mails(smtp_server)
    assert link in _text_and_calendar(reminders[dad.email])[0]
    assert "ogp-" not in _text_and_calendar(reminders[mum.email])[0]


def _guardian(w: World, actor: Actor) -> Guardian:
    with school_session(w.school_id) as db:
        return db.exec(select(Guardian).where(Guardian.user_id == actor.user_id)).one()


def test_the_page_offers_the_choice_exactly_when_the_service_takes_it(factory: Factory) -> None:
    """One rule for both sides: /book shows the choice buttons where parent_joins says may_choose, and
    choose_online accepts exactly then, over generated modes, moments and parents."""
    w = _online_world(factory, mode=FAMILY_CHOICE)
    booking_id, starts = _book(w, w.mum, w.split_kid, 0)
    parents = {"mum": w.mum, "dad": w.dad, "other": w.other_parent}
    modes = st.sampled_from(CONVERSATION_MODES)

    @given(
        round_mode=modes,
        teacher_mode=st.none() | modes,
        who=st.sampled_from(sorted(parents)),
        minutes=st.integers(min_value=-2, max_value=2)
        | st.integers(min_value=-90, max_value=90),  # at the start
        online=st.booleans(),
    )
    @settings(max_examples=80, deadline=None)
    def check(round_mode: str, teacher_mode: str | None, who: str, minutes: int, online: bool) -> None:
        now = starts + timedelta(minutes=minutes)
        with school_session(w.school_id) as db:
            setup.set_round_mode(db, actor=w.admin, round_id=w.round_id, mode=round_mode)
            setup.set_teacher_mode(
                db, actor=w.admin, round_id=w.round_id, teacher_id=w.teacher_a.id, mode=teacher_mode
            )
        seen = _parent_sees(w, parents[who], booking_id, now)
        offered = seen is not None and seen.may_choose
        with school_session(w.school_id) as db:
            try:
                chosen = joining.choose_online(
                    db, actor=parents[who], booking_id=booking_id, online=online, now=now
                )
            except (OnlineChoiceNotOffered, BookingNotFound):
                taken = False
            else:
                taken = True
                assert chosen.online is online
        assert offered == taken
        assert (seen is None) == (who != "mum")  # only her household is in this conversation

    check()


def test_the_schools_schedule_exports_and_the_door_list_carry_no_link(factory: Factory) -> None:
    """Exports go to others than the conversation's people (the admin, a printed door): never a link."""
    w = _online_world(factory, kind=TEACHER_LINK)
    with school_session(w.school_id) as db:
        setup.set_teacher_link(
            db, actor=w.admin, teacher_id=w.teacher_a.id, url="https://meet.google.com/abc-defg"
        )
    booking_id, starts = _book(w, w.parent, w.kid_a, 0)
    assert _parent_sees(w, w.parent, booking_id, starts).url  # type: ignore[union-attr]
    with school_session(w.school_id) as db:
        schedule = exports.round_schedule(db, actor=w.admin, round_id=w.round_id)
        evening = teacher_evening(db, actor=w.teacher_actor, round_id=w.round_id)
    assert any(row.pupil for row in evening.days[0][1])  # the booking is in what is exported
    pdfs = [
        exports.round_pdf(schedule, group_by="teacher", language="nl"),
        exports.teacher_pdf(evening, kind="door", language="nl"),
        exports.teacher_pdf(evening, kind="schedule", language="nl"),
    ]
    texts = [exports.schedule_csv(schedule, language="nl").decode("utf-8-sig")]
    texts += ["\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs]
    assert all(w.kid_a.first_name in text for text in texts)  # the conversation is in each file
    for text in texts:
        assert "meet.google" not in text and "abc-defg" not in text
