"""Sending e-mail: a ``Mailer`` protocol, SMTP for real, the console for development.

Only the outbox worker calls these (``ogp_app.services.mail.outbox.deliver_due``), never a request.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Protocol, TextIO

from ogp_app.core.settings import Settings, get_settings

logger = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand the message over for delivery, or raise (the outbox then retries later)."""


class SmtpMailer:
    """One SMTP connection per message: the worker sends a few mails every few seconds at most."""

    def __init__(
        self,
        *,
        host: str,
        port: int = 587,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 30.0,  # well below the outbox's 10-minute lease, so a slow send is not sent twice
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.username, self.password, self.starttls = username, password, starttls

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


class ConsoleMailer:
    """Development without SMTP: print the plain-text part, so links can be copied from the terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: EmailMessage) -> None:
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        rule = "=" * 72
        head = [rule, f"To: {message['To']}", f"Subject: {message['Subject']}", ""]
        print(*head, text, rule, sep="\n", file=self.stream or sys.stdout, flush=True)


def mailer_from_settings(settings: Settings | None = None) -> Mailer:
    """SMTP when OGP_SMTP_HOST is set, else the console."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        if settings.env == "production":
            logger.warning("OGP_SMTP_HOST is not set: e-mails are printed to the console, not sent")
        return ConsoleMailer()
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
    )


def build_message(
    *,
    mail_from: str,
    to_email: str,
    to_name: str | None,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
    attachments: Sequence[tuple[str, str, bytes]] = (),
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """multipart/alternative (text, then HTML), wrapped in multipart/mixed when there are attachments."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = Address(display_name=to_name or "", addr_spec=to_email)
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: auto-responders must not answer
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    for name, value in (headers or {}).items():  # last: set_content/add_* move Content-* headers around
        message[name] = value
    return message


def sender_domain(mail_from: str) -> str:
    """Domain for Message-IDs: the sender's, so the server's own host name never leaks into mail."""
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
