"""The outbox: write e-mails in the caller's transaction now, send them from a background worker later.

A request never talks to SMTP: ``enqueue`` renders the mail and adds a row; if the caller's transaction
rolls back, the mail is gone too (all-or-nothing).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address

from sqlmodel import Session

from ogp_app.i18n import normalise_language
from ogp_app.models import OutboxMessage
from ogp_app.services.errors import InvalidInput
from ogp_app.services.mail_render import render

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
) -> OutboxMessage:
    """Render ``template`` in the recipient's language and add it to the outbox; the caller commits."""
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
    db.flush()
    return message
