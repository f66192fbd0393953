"""Mail about bookings, queued in the booking's own transaction (the outbox sends it later)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ogp_app.core.settings import get_settings
from ogp_app.i18n import translate
from ogp_app.models import Booking, ConferenceRound, Pupil, RoundTeacher, School, Slot, Teacher, User
from ogp_app.services.mail.outbox import Attachment, enqueue
from ogp_app.services.rounds.clock import format_when
from ogp_app.services.rounds.ics import CalendarEvent, booking_ics
from ogp_app.services.rounds.online.joining import MailLink, link_for_household
from ogp_app.services.rounds.people import full_name, names_of_users, recipients


def _details(db: Session, booking: Booking) -> dict[str, object]:
    """Everything the mail needs, in one query (this runs inside every booking transaction)."""
    row = db.exec(
        select(Slot, ConferenceRound, Teacher.display_name, Pupil, School, RoundTeacher.room)  # type: ignore[call-overload]
        .join(ConferenceRound, col(ConferenceRound.id) == col(Slot.round_id))
        .join(Teacher, col(Teacher.id) == col(Slot.teacher_id))
        .join(Pupil, col(Pupil.id) == booking.pupil_id)
        .join(School, col(School.id) == col(Slot.school_id))
        .outerjoin(
            RoundTeacher,
            (col(RoundTeacher.round_id) == col(Slot.round_id))
            & (col(RoundTeacher.teacher_id) == col(Slot.teacher_id)),
        )
        .where(Slot.id == booking.slot_id)
    ).one()
    slot, rnd, teacher, pupil, school, room = row
    return {
        "slot": slot,
        "round": rnd,
        "teacher": teacher,
        "pupil": full_name(pupil),
        "school": school.name,
        "room": room,
        "location": location(room, school),
    }


def location(room: str | None, school: School) -> str:
    """Where the conversation is, for a calendar (and its map link): room, school, street, town."""
    town = " ".join(p for p in (school.postal_code, school.city) if p)
    return ", ".join(p for p in (room, school.name, school.street_address, town) if p)


def _event(
    booking: Booking, d: dict[str, object], language: str, online: MailLink | None = None
) -> CalendarEvent:
    slot, rnd = d["slot"], d["round"]
    assert isinstance(slot, Slot) and isinstance(rnd, ConferenceRound)
    description = f"{rnd.name} - {d['school']}"
    if online is not None and online.url:
        opens = format_when(online.opens_at, language, "HH:mm")
        description += "\n" + translate("mail.booking.ics_online", language, url=online.url, opens=opens)
    return CalendarEvent(
        # one UID per conversation (pupil, teacher, round, household): a move updates the calendar's entry
        uid=f"booking-{booking.pupil_id}-{booking.teacher_id}-{booking.round_id}-{booking.household_key}"
        f"@{booking.school_id}.ogp",
        summary=translate("mail.booking.ics_summary", language, pupil=d["pupil"], teacher=d["teacher"]),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        # online: the link is where the conversation is (calendars make it a button)
        location=(online.url if online and online.url else d["location"]) or None,  # type: ignore[arg-type]
        description=description,
        url=online.url if online else "",
    )


def calendar_event(
    db: Session, *, booking: Booking, language: str, household_id: int | None = None
) -> CalendarEvent:
    """The booking as its mails' calendar file has it (the same UID), in ``language``, with the online
    link where ``household_id``'s household joins online."""
    online = link_for_household(db, booking=booking, household_id=household_id)
    return _event(booking, _details(db, booking), language, online)


def _send(
    db: Session,
    booking: Booking,
    template: str,
    *,
    by_school: bool,
    moved: bool = False,
    cancelled: bool = False,
    message: str = "",
) -> None:
    d = _details(db, booking)
    slot = d["slot"]
    rnd = d["round"]
    assert isinstance(slot, Slot) and isinstance(rnd, ConferenceRound)
    link = f"{get_settings().public_base_url.rstrip('/')}/book"
    # A joint meeting's other parent hears who booked, moved or cancelled it (the school names itself).
    done_by_id = booking.cancelled_by_user_id if cancelled else booking.booked_by_user_id
    done_by = "" if by_school or done_by_id is None else names_of_users(db, {done_by_id}).get(done_by_id, "")
    for person in recipients(db, pupil_id=booking.pupil_id, household_key=booking.household_key):
        lang = person.language
        online = (
            None if cancelled else link_for_household(db, booking=booking, household_id=person.household_id)
        )
        context = {
            "name": person.name,
            "pupil": d["pupil"],
            "teacher": d["teacher"],
            "school_name": d["school"],
            "round_name": rnd.name,
            "when": format_when(slot.starts_at, lang),
            "room": d["room"] or "",
            "by_school": by_school,
            "moved": moved,
            "link": link,
            "message": message,  # a teacher's own words with an invitation to talk
            "done_by": done_by if person.user_id != done_by_id else "",
            "online": online is not None,  # this household joins online
            "online_link": online.url if online else "",
            "online_from": format_when(online.opens_at, lang, "HH:mm") if online else "",
        }
        ics = booking_ics(_event(booking, d, lang, online), cancelled=cancelled)
        enqueue(
            db,
            to=person.email,
            to_name=person.name,
            template=template,
            language=lang,
            context=context,
            user_id=person.user_id,
            school_id=booking.school_id,
            attachments=[Attachment("gesprek.ics", "text/calendar", ics)],
            flush=False,
        )
    db.flush()  # every recipient's message in one INSERT


def booked(db: Session, *, booking: Booking, by_school: bool, moved: bool = False, message: str = "") -> None:
    _send(db, booking, "booking_confirmed", by_school=by_school, moved=moved, message=message)


def cancelled(db: Session, *, booking: Booking, by_school: bool) -> None:
    _send(db, booking, "booking_cancelled", by_school=by_school, cancelled=True)


def reminder(db: Session, *, booking: Booking) -> None:
    _send(db, booking, "booking_reminder", by_school=False)


def teacher_of_erased_booking(db: Session, *, booking: Booking) -> None:
    """Tell the teacher a family's conversation is off because the parent deleted their account."""
    d = _details(db, booking)
    slot, rnd = d["slot"], d["round"]
    assert isinstance(slot, Slot) and isinstance(rnd, ConferenceRound)
    teacher = db.get(Teacher, booking.teacher_id)
    if teacher is None or teacher.email.endswith("@erased.invalid"):
        return
    user = db.get(User, teacher.user_id) if teacher.user_id is not None else None
    lang = user.preferred_language if user is not None else "nl"
    enqueue(
        db,
        to=teacher.email,
        to_name=teacher.display_name,
        template="booking_cancelled_teacher",
        language=lang,
        context={
            "name": teacher.display_name,
            "pupil": d["pupil"],
            "round_name": rnd.name,
            "when": format_when(slot.starts_at, lang),
            "room": d["room"] or "",
            "link": f"{get_settings().public_base_url.rstrip('/')}/teacher/evening",
        },
        user_id=teacher.user_id,
        school_id=booking.school_id,
    )
