"""The outbox: enqueue writes a rendered row in the caller's transaction and never talks to SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from ogp_app.core.db import session as db_session
from ogp_app.models import OutboxMessage
from ogp_app.models.base import utcnow
from ogp_app.services.errors import InvalidInput
from ogp_app.services.mail.outbox import Attachment, enqueue
from tests.support.factories import Factory
from tests.support.smtp import SmtpServer

LINK = "https://ogp.example/auth/verify?token=abc"
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def _rows() -> list[OutboxMessage]:
    with db_session() as db:
        return list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


def test_enqueue_writes_a_rendered_pending_row_and_opens_no_connection(
    factory: Factory, smtp_server: SmtpServer
) -> None:
    school = factory.school("De Regenboog")
    user = factory.user("sanne@example.org", "Sanne", preferred_language="en")
    with db_session() as db:
        message = enqueue(
            db,
            to=" sanne@example.org ",
            to_name="Sanne\r\nBakker",
            template="invitation",
            language=user.preferred_language,
            context={"name": "Sanne", "school_name": school.name, "role": "app.role.teacher", "link": LINK},
            user_id=user.id,
            school_id=school.id,
            attachments=[Attachment("gesprek.ics", "text/calendar", ICS)],
        )
        assert message.id is not None  # flushed: the caller may refer to it before committing
        db.commit()
    [row] = _rows()
    assert (row.to_email, row.to_name, row.language, row.status) == (
        "sanne@example.org",
        "Sanne Bakker",
        "en",
        "pending",
    )
    assert row.subject == "Invitation from De Regenboog"
    assert LINK in row.text_body and "as teacher" in row.text_body
    assert row.attempts == 0 and row.sent_at is None
    assert row.next_attempt_at <= utcnow() < row.next_attempt_at + timedelta(seconds=30)
    assert Attachment.from_json(row.attachments[0]) == Attachment("gesprek.ics", "text/calendar", ICS)
    assert smtp_server.mailbox.connections == 0 and smtp_server.messages == []


def test_mail_is_part_of_the_callers_transaction(clean_db: None) -> None:
    with db_session() as db:
        enqueue(
            db,
            to="a@example.org",
            template="sign_in_link",
            language="nl",
            context={"name": "A", "link": LINK},
        )
        db.rollback()
    assert _rows() == []


def test_unknown_language_is_stored_as_dutch(clean_db: None) -> None:
    with db_session() as db:
        enqueue(
            db,
            to="a@example.org",
            template="sign_in_link",
            language="de",
            context={"name": "A", "link": LINK},
        )
        db.commit()
    [row] = _rows()
    assert row.language == "nl" and row.subject == "Uw inloglink voor de Oudergesprekplanner"


@pytest.mark.parametrize(
    "to", ["nobody", "a@example.org, b@example.org", "a@example.org\r\nBcc: b@x.org", ""]
)
def test_bad_addresses_are_refused(clean_db: None, to: str) -> None:
    with db_session() as db, pytest.raises(InvalidInput):
        enqueue(db, to=to, template="sign_in_link", language="nl", context={"name": "A", "link": LINK})
    assert _rows() == []


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("../x.ics", "text/calendar"), ("a\r\n.ics", "text/calendar"), ("a.ics", "x")],
)
def test_bad_attachments_are_refused(filename: str, content_type: str) -> None:
    with pytest.raises(InvalidInput):
        Attachment(filename, content_type, b"")


def test_deleting_the_user_keeps_the_mail_deleting_the_school_drops_it(factory: Factory) -> None:
    school, user = factory.school(), factory.user()
    with db_session() as db:
        for school_id in (None, school.id):
            enqueue(
                db,
                to=user.email,
                template="sign_in_link",
                language="nl",
                context={"name": "A", "link": LINK},
                user_id=user.id,
                school_id=school_id,
            )
        db.commit()
    factory.session.delete(factory.session.get(type(user), user.id))
    factory.session.commit()
    assert [(r.user_id, r.school_id) for r in _rows()] == [(None, None), (None, school.id)]
    factory.session.delete(factory.session.get(type(school), school.id))
    factory.session.commit()
    assert [(r.user_id, r.school_id) for r in _rows()] == [(None, None)]
