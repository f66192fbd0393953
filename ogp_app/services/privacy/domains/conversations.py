"""After-booking data of a conversation: the online parts (the school's video service, teachers' links, rooms,
households' choices) and its outcome (attendance and the teacher's note)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, or_, select, update

from ogp_app.services.privacy.domains.bookings import bookings_about
from ogp_app.services.privacy.registry import Erase, Person, Subject, declare, no_personal_data, rowcount

no_personal_data("school_video_service", reason="The address of the school's own video service.")


def _links_of(table: Table, person: Person) -> ColumnElement[bool]:
    teacher = table.metadata.tables["teacher"]
    return table.c.teacher_id.in_(select(teacher.c.id).where(teacher.c.user_id == person.user_id))


declare(
    "teacher_video_link",
    subject=Subject.SCHOOL,
    personal=["teacher_id", "url"],
    reason="A teacher's own meeting link: it goes when the teacher deletes their account.",
    erase=Erase.DELETE,
    user_rows=_links_of,
)


def _rooms_about(table: Table, person: Person) -> ColumnElement[bool]:
    booking = table.metadata.tables["booking"]
    return table.c.booking_id.in_(select(booking.c.id).where(bookings_about(booking, person)))


declare(
    "conversation_room",
    subject=Subject.PUPIL,
    personal=["booking_id"],
    # the room name is a key to the conversation: never exported, not to the school and not in a person's
    # download either (the booking page and the mails give it to the people of the conversation)
    secret=["room"],
    reason="The video room of one booked conversation: it goes with the booking (the school's schedule), "
    "and names no one.",
    erase=Erase.KEEP,
    user_rows=_rooms_about,
)


def _choices_about(table: Table, person: Person) -> ColumnElement[bool]:
    guardian = table.metadata.tables["guardian"]
    households = select(guardian.c.household_id).where(guardian.c.user_id == person.user_id)
    return or_(table.c.chosen_by_user_id == person.user_id, table.c.household_id.in_(households))


declare(
    "conversation_join",
    subject=Subject.HOUSEHOLD,
    personal=["booking_id", "household_id", "online", "chosen_by_user_id", "updated_at"],
    reason="Whether a household joins a conversation online: the school's schedule. Who chose it is "
    "forgotten when that person deletes their account.",
    erase=Erase.ANONYMISE,
    user_rows=_choices_about,
    eraser=lambda db, table, person: rowcount(
        db.execute(
            update(table).where(table.c.chosen_by_user_id == person.user_id).values(chosen_by_user_id=None)
        )
    ),
)


def _outcomes_about(table: Table, person: Person) -> ColumnElement[bool]:
    booking = table.metadata.tables["booking"]
    about = table.c.booking_id.in_(select(booking.c.id).where(bookings_about(booking, person)))
    return or_(about, table.c.written_by_user_id == person.user_id)


declare(
    "conversation_outcome",
    subject=Subject.PUPIL,
    personal=["booking_id", "attendance", "note", "follow_up_on", "family_summary", "written_by_user_id"],
    reason="After a conversation: whether it was held and the teacher's note, the school's record about the "
    "pupil (its staff of that pupil only). It goes with its booking, so the school's booking retention "
    "bounds it; the writer's account link goes when that person deletes their account.",
    erase=Erase.ANONYMISE,
    user_rows=_outcomes_about,
    eraser=lambda db, table, person: rowcount(
        db.execute(
            update(table).where(table.c.written_by_user_id == person.user_id).values(written_by_user_id=None)
        )
    ),
)
