"""/dev/mailbox: the e-mails of a development install without SMTP, with clickable links.

``make run`` has no mail server; this page lets a developer signed in with a demo account (the demo
log-in on /login) open a verification or log-in link.
"""

from __future__ import annotations

import reflex as rx

from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.development.dev_mailbox import (
    MailboxEntry,
    dev_mailbox_enabled,
    latest_messages,
    mailbox_open_to,
)
from ogp_app.services.handler_calls import PublicCall
from ogp_app.state.base import AppState

MAILBOX_SIZE = 50


class DevMailboxState(AppState):
    available: bool = False  # a development install without SMTP
    needs_demo_login: bool = False  # available, but the caller is not signed in with a demo account
    messages: list[MailboxEntry] = []

    @rx.event
    async def load_mailbox(self) -> None:
        """on_load and refresh. A public API like every handler: only a demo account reads anything."""
        self.available = dev_mailbox_enabled()
        token = self._token()
        self.needs_demo_login, self.messages = (
            await self._call_public(lambda call: _mailbox(call, token)) if self.available else (False, [])
        )


def _mailbox(call: PublicCall, token: str | None) -> tuple[bool, list[MailboxEntry]]:
    """Whether the caller still needs the demo log-in, and the messages they may read."""
    identity = resolve_session(token)
    viewer = identity.email if identity else None
    if not mailbox_open_to(viewer):
        return True, []
    return False, latest_messages(call.db, viewer_email=viewer, limit=MAILBOX_SIZE)
