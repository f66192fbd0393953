"""A real SMTP server (aiosmtpd) that keeps every message it receives, as a recipient's mailbox would.

Fixtures: ``smtp_server`` (running, fresh per test) and ``smtp_port`` (a free port to start one on later,
for "server down, then up" tests). Messages are parsed with ``policy.default`` (``EmailMessage``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.server import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """The aiosmtpd handler: records sessions (EHLOs, log-ins) and messages."""

    received: list[Received] = field(default_factory=list)
    connections: int = 0
    logins: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ):
        with self._lock:
            self.connections += 1
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = cast(EmailMessage, message_from_bytes(envelope.original_content, policy=policy.default))
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.mailbox.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.mailbox.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def _authenticate(username: str, password: str):
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == username
            and data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return check


@contextmanager
def running_smtp(port: int | None = None, *, login: tuple[str, str] | None = None) -> Iterator[SmtpServer]:
    """Serve SMTP on 127.0.0.1:port until the block ends; with ``login`` the server demands AUTH."""
    mailbox = Mailbox()
    port = port or free_port()
    extra: dict[str, Any] = {}
    if login:
        extra = {"authenticator": _authenticate(*login), "auth_required": True, "auth_require_tls": False}
    controller = Controller(mailbox, hostname=HOST, port=port, **extra)
    controller.start()
    try:
        yield SmtpServer(HOST, port, mailbox)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def smtp_port() -> int:
    """A port with nothing listening (yet): connecting to it is refused."""
    return free_port()
