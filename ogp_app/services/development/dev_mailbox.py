"""The local mailbox of a development install without SMTP: read the outbox as the recipients would.

Only ever available when OGP_ENV=development and no SMTP host is set, and then only to a person signed
in with a demo account (the development demo log-in): the mails hold every sign-in link of the install,
so an anonymous visitor of a developer's machine on the network must not read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ogp_app.core.settings import Settings, get_settings
from ogp_app.models import OutboxMessage
from ogp_app.services.development.demo import DEMO_ACCOUNTS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_LINK = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)]")  # a full stop after a link is not part of it


@dataclass(frozen=True)
class BodyPart:
    text: str
    href: str = ""  # set for a link


@dataclass(frozen=True)
class MailboxEntry:
    """What the page shows of one message: display strings only, no table object."""

    id: int
    recipient: str
    subject: str
    created: str
    status: str
    body: list[BodyPart]


def dev_mailbox_enabled(settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    return settings.env == "development" and not settings.smtp_host


def mailbox_open_to(email: str | None, settings: Settings | None = None) -> bool:
    """Whether the signed-in person with this address (None: nobody) may read the mailbox."""
    return dev_mailbox_enabled(settings) and email is not None and email.lower() in DEMO_ACCOUNTS.values()


def split_links(text: str) -> list[BodyPart]:
    """Plain text cut into text and links, so the page can make the links clickable."""
    parts: list[BodyPart] = []
    position = 0
    for match in _LINK.finditer(text):
        if match.start() > position:
            parts.append(BodyPart(text[position : match.start()]))
        parts.append(BodyPart(match.group(), href=match.group()))
        position = match.end()
    if position < len(text):
        parts.append(BodyPart(text[position:]))
    return parts


def latest_messages(db: Session, *, viewer_email: str | None, limit: int = 50) -> list[MailboxEntry]:
    """The newest outbox messages, or nothing unless :func:`mailbox_open_to` the viewer."""
    if not mailbox_open_to(viewer_email):
        return []
    rows = db.exec(
        select(OutboxMessage)
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
    ).all()
    return [
        MailboxEntry(
            id=row.id or 0,
            recipient=f"{row.to_name} <{row.to_email}>" if row.to_name else row.to_email,
            subject=row.subject,
            created=f"{row.created_at.astimezone(AMSTERDAM):%d-%m-%Y %H:%M}",
            status=row.status,
            body=split_links(row.text_body),
        )
        for row in rows
    ]
