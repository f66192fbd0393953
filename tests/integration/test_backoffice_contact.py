"""The contact form and the staff inbox: honeypot, rate limit, a copy to the sender, replies by e-mail."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from ogp_app.core.db import session as db_session
from ogp_app.models import ContactMessage, ContactReply, OutboxMessage, RateLimitHit
from ogp_app.services.accounts import InvalidEmail
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.staff import contact
from tests.support.factories import Factory

FORM = {
    "name": "  Sanne   de Vries ",
    "email": "Sanne@Example.org",
    "topic": "privacy_request",
    "message": "Welke gegevens\r\nhebben jullie van mij?",
    "honeypot": "",
    "language": "nl",
}


def _submit(**changes: object) -> int | None:
    with db_session() as db:
        return contact.submit_message(db, **{**FORM, **changes}, ip="192.0.2.7")  # type: ignore[arg-type]


def _mails() -> list[OutboxMessage]:
    with db_session() as db:
        return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def test_a_message_is_stored_copied_to_the_sender_and_announced_to_staff(factory: Factory) -> None:
    factory.user("staff@ogp.example", "Sam Staff", is_staff=True, preferred_language="en")
    factory.user("parent@example.org", "Niet Staff")
    message_id = _submit()
    with db_session() as db:
        row = db.get(ContactMessage, message_id)
    assert row is not None
    assert (row.name, row.email, row.topic, row.status) == (
        "Sanne de Vries",
        "sanne@example.org",
        "privacy_request",
        "new",
    )
    assert row.message == "Welke gegevens\nhebben jullie van mij?"
    copy, notice = _mails()
    assert copy.to_email == "sanne@example.org" and copy.language == "nl"
    assert "Welke gegevens" in copy.text_body and "Privacyverzoek" in copy.text_body
    assert notice.to_email == "staff@ogp.example" and notice.language == "en"
    assert "/staff/inbox" in notice.text_body
    assert "Welke gegevens" not in notice.text_body  # the message itself stays in the inbox


def test_the_honeypot_stores_and_sends_nothing(factory: Factory) -> None:
    factory.user("staff@ogp.example", is_staff=True)
    assert _submit(honeypot="https://spam.example") is None
    with db_session() as db:
        assert db.exec(select(ContactMessage)).all() == []
        assert db.exec(select(RateLimitHit)).all() == []
    assert _mails() == []


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "not-an-address", InvalidEmail),
        ("topic", "sales", contact.InvalidTopic),
        ("message", "   ", contact.InvalidMessage),
        ("message", "x" * 5001, contact.InvalidMessage),
        ("message", "bell\x07", contact.InvalidMessage),
        ("name", "", contact.InvalidContactName),
        ("name", ["list"], contact.InvalidContactName),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    factory: Factory, field: str, value: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        _submit(**{field: value})
    with db_session() as db:
        assert db.exec(select(ContactMessage)).all() == []
    assert _mails() == []


def test_three_messages_an_hour_per_address(factory: Factory) -> None:
    for _ in range(3):
        _submit()
    with pytest.raises(RateLimited) as refused:
        _submit()
    assert refused.value.message_key == "contact.error.rate_limited"
    with db_session() as db:
        assert len(db.exec(select(ContactMessage)).all()) == 3
        keys = db.exec(select(RateLimitHit.key)).all()
    assert all("sanne" not in k and "192.0.2.7" not in k for k in keys)  # keyed hashes only
    _submit(email="other@example.org")  # another address is not affected


def test_staff_move_a_message_and_reply_by_mail(factory: Factory) -> None:
    staff = factory.user("staff@ogp.example", "Sam Staff", is_staff=True)
    message_id = _submit(language="en")
    with db_session() as db:
        contact.set_status(db, message_id=message_id, status="in_progress")
        [item] = contact.inbox(db, status="in_progress")
        assert item.id == message_id and item.replies == []
        assert staff.id is not None
        contact.reply(db, message_id=message_id, staff_user_id=staff.id, body="We hold only your e-mail.")
        [item] = contact.inbox(db)
        assert contact.inbox(db, status="new") == []
    assert item.status == "answered"
    assert [(r.body, r.staff_name) for r in item.replies] == [("We hold only your e-mail.", "Sam Staff")]
    reply_mail = _mails()[-1]
    assert reply_mail.to_email == "sanne@example.org" and reply_mail.language == "en"
    assert "We hold only your e-mail." in reply_mail.text_body
    assert reply_mail.subject == "Reply to your message to Oudergesprekplanner"


def test_inbox_actions_refuse_bad_ids_and_statuses(factory: Factory) -> None:
    message_id = _submit()
    with db_session() as db:
        with pytest.raises(contact.UnknownMessage):
            contact.set_status(db, message_id=999_999, status="answered")
        with pytest.raises(contact.UnknownMessage):
            contact.reply(db, message_id="1", staff_user_id=1, body="hi")
        with pytest.raises(contact.InvalidReply):
            contact.reply(db, message_id=message_id, staff_user_id=1, body="")
        with pytest.raises(contact.InvalidInput):
            contact.set_status(db, message_id=message_id, status="deleted")
        assert db.exec(select(ContactReply)).all() == []
