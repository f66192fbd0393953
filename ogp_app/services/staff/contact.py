"""The contact form and the staff inbox.

Anyone may write (signed in or not). Spam is kept out without third parties: a honeypot field that
people never see (bots fill it; we then store nothing but answer as if all went well) and rate limits
per address and per network (keyed hashes, :mod:`ogp_app.services.auth.rate_limit`). The sender gets a copy;
staff get a notice without the message itself (it stays in the inbox). Replies go out by e-mail.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.core.settings import get_settings
from ogp_app.i18n import normalise_language
from ogp_app.models import ContactMessage, ContactReply, ContactStatus, ContactTopic, User
from ogp_app.models.backoffice import MESSAGE_MAX
from ogp_app.models.base import utcnow
from ogp_app.services.accounts._common import (
    clean_name,
    normalise_email,
)
from ogp_app.services.auth import rate_limit
from ogp_app.services.auth.rate_limit import Limit, RateLimited
from ogp_app.services.errors import DomainError, InvalidInput
from ogp_app.services.mail import outbox

CONTACT_PER_ADDRESS = Limit(3, timedelta(hours=1))
CONTACT_PER_IP = Limit(10, timedelta(hours=1))
REPLY_MAX = 5000
INBOX_PATH = "/staff/inbox"


class InvalidTopic(DomainError):
    message_key = "contact.error.topic"


class InvalidMessage(DomainError):
    message_key = "contact.error.message"


class InvalidContactName(DomainError):
    message_key = "contact.error.name"


class InvalidReply(DomainError):
    message_key = "staff.inbox.error.reply"


class UnknownMessage(DomainError):
    message_key = "staff.inbox.error.unknown"


def _clean_text(value: object, limit: int, error: type[DomainError]) -> str:
    """Multi-line text of 1..limit characters; control characters other than line breaks refused."""
    text = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if not 1 <= len(text) <= limit:
        raise error()
    if any(unicodedata.category(c).startswith("C") and c not in "\n\t" for c in text):
        raise error()
    return text


def _topic(value: object) -> str:
    if not isinstance(value, str) or value not in {t.value for t in ContactTopic}:
        raise InvalidTopic()
    return value


def staff_addresses(db: Session) -> list[tuple[str, str, str]]:
    """(e-mail, name, language) of every OGP staff account."""
    rows = db.exec(
        select(User.email, User.display_name, User.preferred_language).where(col(User.is_staff))
    ).all()
    return [(e, n, lang) for e, n, lang in rows]


def _link(path: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}{path}"


def submit_message(
    db: Session,
    *,
    name: object,
    email: object,
    topic: object,
    message: object,
    honeypot: object,
    language: object,
    ip: str | None,
    user_id: int | None = None,
) -> int | None:
    """Store a contact message, mail the sender a copy and staff a notice. Returns its id.

    ``db``: a plain ``session()``. Returns None (storing and sending nothing) when the honeypot was
    filled in: the caller shows the same thanks, so a bot learns nothing. Raises InvalidContactName,
    InvalidEmail, InvalidTopic, InvalidMessage or RateLimited (3 an hour per address, 10 per network).
    """
    if isinstance(honeypot, str) and honeypot.strip():
        return None
    clean = clean_name(name, error=InvalidContactName)
    address = normalise_email(email)
    kind = _topic(topic)
    text = _clean_text(message, MESSAGE_MAX, InvalidMessage)
    lang = normalise_language(language)
    with committing(db):
        try:
            rate_limit.hit(db, key=rate_limit.limit_key("contact:email", address), **CONTACT_PER_ADDRESS.kw)
            if ip:
                rate_limit.hit(db, key=rate_limit.limit_key("contact:ip", ip), **CONTACT_PER_IP.kw)
        except RateLimited as limited:
            raise RateLimited(limited.retry_after_seconds, message_key="contact.error.rate_limited") from None
        row = ContactMessage(
            name=clean, email=address, topic=kind, message=text, language=lang, user_id=user_id
        )
        db.add(row)
        db.flush()
        outbox.enqueue(
            db,
            to=address,
            to_name=clean,
            template="contact_copy",
            language=lang,
            context={"name": clean, "topic_key": f"contact.topic.{kind}", "message": text},
            user_id=user_id,
        )
        for staff_email, staff_name, staff_lang in staff_addresses(db):
            outbox.enqueue(
                db,
                to=staff_email,
                to_name=staff_name,
                template="contact_staff_notice",
                language=staff_lang,
                context={"topic_key": f"contact.topic.{kind}", "inbox_link": _link(INBOX_PATH)},
            )
    assert row.id is not None
    return row.id


@dataclass(frozen=True)
class InboxReply:
    body: str
    created_at: datetime
    staff_name: str


@dataclass(frozen=True)
class InboxItem:
    id: int
    name: str
    email: str
    topic: str
    message: str
    status: str
    created_at: datetime
    replies: list[InboxReply]


def _status(value: object) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value not in {s.value for s in ContactStatus}:
        raise InvalidInput("unknown status")
    return value


def inbox(db: Session, *, status: object = None, limit: int = 200) -> list[InboxItem]:
    """The newest messages first, optionally of one status, each with its replies. Staff only (caller)."""
    wanted = _status(status)
    query = select(ContactMessage).order_by(
        col(ContactMessage.created_at).desc(), col(ContactMessage.id).desc()
    )
    if wanted:
        query = query.where(ContactMessage.status == wanted)
    messages = db.exec(query.limit(limit)).all()
    ids = [m.id for m in messages]
    replies: dict[int, list[InboxReply]] = {}
    if ids:
        rows = db.exec(
            select(ContactReply, User.display_name)
            .join(User, col(User.id) == col(ContactReply.staff_user_id), isouter=True)
            .where(col(ContactReply.message_id).in_(ids))
            .order_by(col(ContactReply.created_at), col(ContactReply.id))
        ).all()
        for reply, staff_name in rows:
            replies.setdefault(reply.message_id, []).append(
                InboxReply(body=reply.body, created_at=reply.created_at, staff_name=staff_name or "")
            )
    return [
        InboxItem(
            id=m.id or 0,
            name=m.name,
            email=m.email,
            topic=m.topic,
            message=m.message,
            status=m.status,
            created_at=m.created_at,
            replies=replies.get(m.id or 0, []),
        )
        for m in messages
    ]


def _message(db: Session, message_id: object) -> ContactMessage:
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise UnknownMessage()
    row = db.get(ContactMessage, message_id)
    if row is None:
        raise UnknownMessage()
    return row


def set_status(db: Session, *, message_id: object, status: object) -> None:
    """Move a message to new, in progress or answered. Commits."""
    wanted = _status(status)
    if wanted is None:
        raise InvalidInput("status required")
    row = _message(db, message_id)
    with committing(db):
        row.status = wanted
        row.updated_at = utcnow()
        db.add(row)


def reply(db: Session, *, message_id: object, staff_user_id: int, body: object) -> None:
    """Mail ``body`` to the sender (in their language), keep it with the message, mark it answered."""
    text = _clean_text(body, REPLY_MAX, InvalidReply)
    row = _message(db, message_id)
    with committing(db):
        db.add(ContactReply(message_id=row.id or 0, staff_user_id=staff_user_id, body=text))
        row.status = ContactStatus.ANSWERED.value
        row.updated_at = utcnow()
        db.add(row)
        outbox.enqueue(
            db,
            to=row.email,
            to_name=row.name,
            template="contact_reply",
            language=row.language,
            context={"name": row.name, "reply": text, "original": row.message},
            user_id=row.user_id,
        )
