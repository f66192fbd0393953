"""What the log-in pages share: the ``?error=`` / ``?notice=`` message of the URL, and a link's token.

A link's token sits in state only while its page shows the button that POSTs it (and only after
``peek_token`` found it usable); every other load of these pages clears it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import reflex as rx

from ogp_app.api.redirect_errors import message_key
from ogp_app.i18n import translate
from ogp_app.models import OneTimeToken, TokenPurpose
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.tokens import InvalidToken, peek_token
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import PublicCall
from ogp_app.state.base import AppState

NOTICE_KEYS = {
    "password_reset": "auth.notice.password_reset",
    "link_sent": "auth.notice.link_sent",
    "reset_sent": "auth.notice.reset_sent",
    "verification_resent": "auth.notice.verification_resent",
    "invitation_refreshed": "parent.invitation.refreshed",
}
_TOKEN_MAX = 128
_MINUTES_MAX = 24 * 60
T = TypeVar("T")


class AuthFlowState(AppState):
    """Messages and the link token of the current log-in page. Public vars: display data only."""

    error_key: str = ""
    error_minutes: int = 0
    notice_key: str = ""
    token: str = ""  # the link's token, only while its button is shown
    link_ok: bool = False

    @rx.var
    def error_text(self) -> str:
        if not self.error_key:
            return ""
        return translate(self.error_key, self.lang, minutes=max(1, self.error_minutes))

    @rx.var
    def notice_text(self) -> str:
        return translate(self.notice_key, self.lang) if self.notice_key else ""

    def _param(self, name: str) -> str:
        value = self.router.url.query_parameters.get(name, "")
        return value if isinstance(value, str) else ""

    def _read_messages(self) -> None:
        """Take the message to show from the URL (only known suffixes; anything else: generic)."""
        self.error_key = message_key(self._param("error")) or ""
        minutes = self._param("minutes")
        self.error_minutes = min(int(minutes), _MINUTES_MAX) if minutes.isdigit() and len(minutes) < 6 else 0
        self.notice_key = NOTICE_KEYS.get(self._param("notice"), "")

    def _show_error(self, error: DomainError) -> None:
        self.error_key = error.message_key
        self.error_minutes = error.message_values["minutes"] if isinstance(error, RateLimited) else 0
        self.notice_key = ""

    def _show_notice(self, key: str) -> None:
        self.notice_key = key
        self.error_key = ""
        self.error_minutes = 0

    @contextmanager
    def _errors_shown(self) -> Iterator[None]:
        """Around a form's public work: a broken rule (an invalid address, too many requests) becomes the
        page's message, and the body stops there."""
        try:
            yield
        except DomainError as error:
            self._show_error(error)

    async def _load_link(self, purpose: TokenPurpose) -> None:
        """on_load of a link page: keep the token (for the button) only if it could be used now."""
        await self._load_link_showing(purpose, _nothing)

    async def _load_link_showing(
        self, purpose: TokenPurpose, read: Callable[[PublicCall, OneTimeToken], T]
    ) -> T | None:
        """``_load_link``, and what ``read`` finds for the page about a usable token (None: unusable),
        read in the same session."""
        self._read_messages()
        self.token, self.link_ok = "", False
        raw = self._param("token")
        if not raw or len(raw) > _TOKEN_MAX:
            if not self.error_key and not self.notice_key and not self._param("done"):
                self.error_key = "accounts.error.invalid_link"
            return None
        try:
            shown = await self._call_public(
                lambda call: read(call, peek_token(call.db, raw=raw, purpose=purpose))
            )
        except InvalidToken as error:
            self._show_error(error)
            return None
        self.token, self.link_ok = raw, True
        return shown


def _nothing(call: PublicCall, token: OneTimeToken) -> None:
    """What a link page without details shows of its token."""
