"""The outbox: write e-mails in the caller's transaction now, send them from a background worker later.

A request never talks to SMTP: ``enqueue`` renders the mail and adds a row; if the caller's transaction
rolls back, the mail is gone too (all-or-nothing). ``deliver_due`` (the lifespan task in ogp_app.py, or
``ogp mail deliver`` from cron) claims due rows one at a time with a conditional UPDATE, so any number
of workers can run side by side without sending a message twice.
"""

from __future__ import annotations

import base64
import logging
import re
import smtplib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, select, update

from ogp_app.core.metrics import MAIL_DELIVERIES
from ogp_app.core.settings import get_settings
from ogp_app.i18n import normalise_language
from ogp_app.integrations.mailer import Mailer, build_message, sender_domain
from ogp_app.models import OutboxMessage, OutboxStatus, User
from ogp_app.models.base import utcnow
from ogp_app.models.mail import LAST_ERROR_LENGTH
from ogp_app.services.errors import InvalidInput
from ogp_app.services.mail.mail_render import render

logger = logging.getLogger(__name__)

# Wait after the 1st, 2nd, ... failed attempt; after the last one the message is marked failed.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claimed row belongs to its worker until then; later it was a crash and the row is sent again.
LEASE = timedelta(minutes=10)

DbFactory = Callable[[], AbstractContextManager[Session]]

_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar"
    data: bytes

    def __post_init__(self) -> None:
        if not self.filename or any(c in self.filename for c in '/\\"\r\n\0'):
            raise InvalidInput("bad attachment filename")
        if not _CONTENT_TYPE.fullmatch(self.content_type):
            raise InvalidInput("bad attachment content type")

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }

    @classmethod
    def from_json(cls, value: Mapping[str, str]) -> Attachment:
        return cls(value["filename"], value["content_type"], base64.b64decode(value["data"]))


def _address(to: str) -> str:
    """One plain address (no name, no list): what goes into the envelope and the To header."""
    try:
        address = Address(addr_spec=to.strip())
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise InvalidInput("bad e-mail address") from exc
    if not address.domain or len(address.addr_spec) > 254:
        raise InvalidInput("bad e-mail address")
    return address.addr_spec


def _one_line(value: str | None, limit: int) -> str | None:
    """Names go into a header: collapse line breaks and runs of spaces, cut to the column size."""
    cleaned = " ".join((value or "").split())[:limit]
    return cleaned or None


def enqueue(
    db: Session,
    *,
    to: str,
    template: str,
    language: str,
    context: Mapping[str, object],
    to_name: str | None = None,
    user_id: int | None = None,
    school_id: int | None = None,
    attachments: Sequence[Attachment] = (),
    flush: bool = True,
) -> OutboxMessage:
    """Render ``template`` in the recipient's language and add it to the outbox; the caller commits.
    ``flush=False`` leaves the INSERT to the caller's next flush (one statement for several messages)."""
    language = normalise_language(language)
    mail = render(template, language, context)
    message = OutboxMessage(
        to_email=_address(to),
        to_name=_one_line(to_name, 200),
        language=language,
        template=template,
        subject=mail.subject[:300],
        text_body=mail.text,
        html_body=mail.html,
        attachments=[a.to_json() for a in attachments],
        user_id=user_id,
        school_id=school_id,
    )
    db.add(message)
    if flush:
        db.flush()
    return message


def enqueue_for(
    db: Session,
    user: User,
    *,
    template: str,
    context: Mapping[str, object],
    to: str | None = None,
    school_id: int | None = None,
) -> OutboxMessage:
    """A mail to an account holder: to their address (or ``to``), by name, in their language; the
    context gets their ``name``. The caller commits."""
    return enqueue(
        db,
        to=to or user.email,
        to_name=user.display_name,
        template=template,
        language=user.preferred_language,
        context={"name": user.display_name, **context},
        user_id=user.id,
        school_id=school_id,
    )


# The operator's metrics name a delivery attempt by what became of the message.
_OUTCOME_NAMES: dict[str, str] = {
    OutboxStatus.SENT: "sent",
    OutboxStatus.PENDING: "retrying",
    OutboxStatus.FAILED: "failed",
}


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0  # failed this time, scheduled again
    failed: int = 0  # failed for the last time
    reclaimed: int = 0  # found stuck in 'sending' (a crashed worker) and put back

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def deliver_due(
    db_factory: DbFactory, mailer: Mailer, *, now: datetime | None = None, batch: int = 50
) -> DeliveryReport:
    """Send up to ``batch`` due messages; ``now`` fixes the clock (tests), else the real time is used."""

    def clock() -> datetime:
        return now or utcnow()  # per message: a slow batch must not hand out leases that already expired

    with db_factory() as db:
        reclaimed = _reclaim_stuck(db, clock())
        due = db.exec(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= clock())
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(batch)
        ).all()
        db.commit()
    outcomes: Counter[str] = Counter()
    for message_id in due:
        assert message_id is not None
        if outcome := _deliver_one(db_factory, mailer, message_id, clock):
            outcomes[outcome] += 1
            MAIL_DELIVERIES.labels(_OUTCOME_NAMES[outcome]).inc()
    return DeliveryReport(
        sent=outcomes[OutboxStatus.SENT],
        retrying=outcomes[OutboxStatus.PENDING],
        failed=outcomes[OutboxStatus.FAILED],
        reclaimed=reclaimed,
    )


def _reclaim_stuck(db: Session, now: datetime) -> int:
    result = db.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == OutboxStatus.SENDING, col(OutboxMessage.next_attempt_at) <= now)
        .values(
            status=case(
                (col(OutboxMessage.attempts) >= MAX_ATTEMPTS, OutboxStatus.FAILED.value),
                else_=OutboxStatus.PENDING.value,
            ),
            last_error="lease expired: the worker stopped while sending",
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    if result.rowcount:
        logger.warning("outbox: %d message(s) stuck in 'sending' put back", result.rowcount)
    return result.rowcount


def _deliver_one(
    db_factory: DbFactory, mailer: Mailer, message_id: int, clock: Callable[[], datetime]
) -> str | None:
    """Claim, send, record. None when another worker claimed the row first."""
    with db_factory() as db:
        now = clock()
        claim = db.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.next_attempt_at) <= now,  # not rescheduled by a worker that just failed it
            )
            .values(
                status=OutboxStatus.SENDING.value,
                attempts=col(OutboxMessage.attempts) + 1,
                next_attempt_at=now + LEASE,
            )
            .execution_options(synchronize_session=False)
        )
        db.commit()
        if claim.rowcount != 1:
            return None
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        attempts = message.attempts
        try:
            email = to_email_message(message)
            db.commit()  # no transaction stays open while we talk to the SMTP server
            mailer.send(email)
        except OSError as exc:  # includes every smtplib error: server down, slow or refusing; try later
            logger.warning("outbox: message %s, attempt %s failed: %s", message_id, attempts, _kind_of(exc))
            return _record(db, message_id, attempts, clock(), error=exc)
        except Exception as exc:  # a bug or bad data: record it, and keep the other messages moving
            logger.exception("outbox: message %s, attempt %s failed", message_id, attempts)
            return _record(db, message_id, attempts, clock(), error=exc)
        return _record(db, message_id, attempts, clock(), error=None)


def _kind_of(error: OSError) -> str:
    """A failed send as the log tells it: the error's class and SMTP codes. Not its text: a mail server's
    refusal names the recipient (address and name), which the outbox row's last_error keeps instead."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _text in error.recipients.values()})
    elif isinstance(error, smtplib.SMTPResponseException):
        codes = [str(error.smtp_code)]
    else:
        codes = [str(error.errno)] if error.errno is not None else []
    return " ".join([type(error).__name__, *codes])


def _record(db: Session, message_id: int, attempts: int, now: datetime, *, error: Exception | None) -> str:
    values: dict[str, Any]
    if error is None:
        values = {"status": OutboxStatus.SENT.value, "sent_at": now, "last_error": None}
    else:
        message = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
        if attempts >= MAX_ATTEMPTS:
            values = {"status": OutboxStatus.FAILED.value, "last_error": message}
        else:
            values = {
                "status": OutboxStatus.PENDING.value,
                "next_attempt_at": now + BACKOFF[attempts - 1],
                "last_error": message,
            }
    db.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.status) == OutboxStatus.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return str(values["status"])


def to_email_message(message: OutboxMessage) -> EmailMessage:
    """The stored row as an e-mail; the Message-ID is fixed per row, so a resend can be recognised."""
    settings = get_settings()
    stamp = f"{message.created_at:%Y%m%d%H%M%S%f}"
    return build_message(
        mail_from=settings.mail_from,
        to_email=message.to_email,
        to_name=message.to_name,
        subject=message.subject,
        text=message.text_body,
        html=message.html_body,
        message_id=f"<outbox.{message.id}.{stamp}@{sender_domain(settings.mail_from)}>",
        date=utcnow(),
        attachments=[
            (a.filename, a.content_type, a.data) for a in map(Attachment.from_json, message.attachments)
        ],
        headers={"Content-Language": message.language},
    )
