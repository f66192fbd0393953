"""Back office: contact messages, staff access log, reviews, FAQ and cookieless visit statistics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Table, or_, select
from sqlmodel import Session

from ogp_app.services.privacy.registry import (
    Erase,
    Person,
    Subject,
    by_user_id,
    declare,
    no_personal_data,
    retention_task,
    rowcount,
    unlink_user,
    unlinking,
)
from ogp_app.services.staff.analytics import purge_old_visits


def _contact_rows(table: Table, person: Person) -> ColumnElement[bool]:
    return or_(table.c.user_id == person.user_id, table.c.email == person.email)


declare(
    "contact_message",
    subject=Subject.USER,
    personal=["name", "email", "message", "language", "user_id", "topic", "status", "created_at"],
    reason="What a person wrote to us; it is theirs and goes with their account.",
    erase=Erase.DELETE,
    user_rows=_contact_rows,
)


def _replies_to(table: Table, person: Person) -> ColumnElement[bool]:
    messages = table.metadata.tables["contact_message"]
    mine = select(messages.c.id).where(_contact_rows(messages, person)).scalar_subquery()
    return or_(table.c.message_id.in_(mine), by_user_id("staff_user_id")(table, person))


def _erase_replies(db: Session, table: Table, person: Person) -> int:
    """Replies to the person's messages go (cascade with the message); a staff author becomes anonymous."""
    messages = table.metadata.tables["contact_message"]
    mine = select(messages.c.id).where(_contact_rows(messages, person)).scalar_subquery()
    gone = rowcount(db.execute(table.delete().where(table.c.message_id.in_(mine))))
    return gone + unlink_user(db, table, person, "staff_user_id")


declare(
    "contact_reply",
    subject=Subject.USER,
    personal=["body", "staff_user_id", "created_at"],
    reason="Our answers to a person's message go with it; a staff author leaving only loses the link.",
    erase=Erase.ANONYMISE,
    user_rows=_replies_to,
    eraser=_erase_replies,
)


declare(
    "staff_access_log",
    subject=Subject.SCHOOL,
    personal=["staff_user_id", "staff_name", "reason", "opened", "created_at", "subject_user_id"],
    reason="The school's record of which OGP staff member opened its data (or one person's) and why; it "
    "must outlive the staff and subject accounts, so only the account links go.",
    erase=Erase.ANONYMISE,
    user_rows=by_user_id("staff_user_id", "subject_user_id"),
    eraser=unlinking("staff_user_id", "subject_user_id"),  # the entry stays the school's record
)


def _erase_reviews(db: Session, table: Table, person: Person) -> int:
    """The author's reviews go; a moderator leaving only loses the link to their account."""
    gone = rowcount(db.execute(table.delete().where(table.c.author_user_id == person.user_id)))
    return gone + unlink_user(db, table, person, "moderated_by_user_id")


declare(
    "review",
    subject=Subject.USER,
    personal=[
        "author_user_id",
        "rating",
        "comment",
        "display_first_name",
        "display_city",
        "created_at",
        "moderated_by_user_id",
    ],
    reason="A review is its author's own words and goes with the account; a moderator's link goes too.",
    erase=Erase.ANONYMISE,
    user_rows=by_user_id("author_user_id", "moderated_by_user_id"),
    eraser=_erase_reviews,
)

no_personal_data("faq_entry", reason="Questions and answers written by OGP staff for everyone.")
no_personal_data(
    "page_view",
    reason="Counts per path and day; no IP address, user agent, cookie or account is stored.",
)
no_personal_data(
    "visit_salt", reason="Today's random salt for counting unique visitors; discarded at day end."
)
no_personal_data(
    "visit_mark",
    reason="A salted hash of today's visits, unlinkable once the day's salt is discarded at day end.",
)


@retention_task("visits older than 12 months")
def _old_visits(db: Session, now: datetime) -> int:
    return purge_old_visits(db, now)
