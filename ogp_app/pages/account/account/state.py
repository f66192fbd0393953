"""/account: a signed-in person manages their own name, e-mail, language, password and second factor.

Every handler re-reads identity from the session cookie (through ``_call``); the user id never comes from
the client. Passwords and codes travel in the submitted form only and are never kept in state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.i18n import LANGUAGES
from ogp_app.pages.account.sections import SectionedPageState
from ogp_app.services.accounts import (
    account_settings,
    change_display_name,
    request_email_change,
    set_language,
    set_password,
)
from ogp_app.services.auth.passwords import MAX_LENGTH as PASSWORD_MAX
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import InvalidInput, NotAuthenticated
from ogp_app.services.handler_calls import Access, Call
from ogp_app.state.base import AppState, billing_notice
from ogp_app.state.form_input import required_text

TEXT_MAX = 254  # names and e-mail addresses


CODE_MAX = 64


# The caller's own account, any role or none. What the page shows spans schools (the person's memberships),
# so reading it (and the two-factor switch, whose mandatory check reads every school's roles) gets an
# unscoped session; the other writes only a plain one, which refuses school data.
OWN_VIEW = Access(unscoped="the person's memberships span schools")
OWN_ROWS = Access()


@dataclass(frozen=True)
class SchoolRow:
    """One school of the person, for the switch list (display data only)."""

    school_id: int  # the switch form posts it; the route checks the membership again
    name: str
    roles: list[str]
    current: bool


class AccountState(SectionedPageState, AppState):
    """What /account shows of the caller's own account."""

    account_loaded: bool = False
    email: str = ""
    pending_email: str = ""
    has_password: bool = False
    two_factor_enabled: bool = False
    two_factor_mandatory: bool = False
    schools: list[SchoolRow] = []
    recovery_codes: list[str] = []  # shown once, right after they were made; cleared on any reload
    form_key: str = "0"  # bumped to remount forms with fresh default values
    name_notice: Notice = NO_NOTICE
    email_notice: Notice = NO_NOTICE
    language_notice: Notice = NO_NOTICE
    password_notice: Notice = NO_NOTICE
    two_factor_notice: Notice = NO_NOTICE

    def _refresh(self, account: _Account) -> None:
        view, identity = account.view, account.identity
        self._show_resolved(identity, account.billing)
        self.display_name = view.display_name
        self.lang = view.language
        self.account_loaded = True
        self.email = view.email
        self.pending_email = view.pending_email
        self.has_password = view.has_password
        self.two_factor_enabled = view.two_factor_enabled
        self.two_factor_mandatory = view.two_factor_mandatory
        self.schools = [
            SchoolRow(
                school_id=s.school_id,
                name=s.name,
                roles=list(s.roles),
                current=s.school_id == identity.school_id,
            )
            for s in view.schools
        ]
        self.form_key = str(int(self.form_key) + 1)

    def _clear(self) -> None:
        self.account_loaded = False
        self.email = self.pending_email = ""
        self.has_password = self.two_factor_enabled = self.two_factor_mandatory = False
        self.schools = []
        self.recovery_codes = []
        self.name_notice = self.email_notice = self.language_notice = NO_NOTICE
        self.password_notice = self.two_factor_notice = NO_NOTICE

    @rx.event
    async def load_account(self) -> None:
        """on_load: the caller's own account, or nothing when signed out."""
        self._clear()
        try:
            self._refresh(await self._call(OWN_VIEW, _account_of))
        except NotAuthenticated:
            self._signed_out()

    async def _save(self, work: Callable[[Call], None]) -> None:
        """``work`` on the caller's own rows (a plain session), then the page as it is now."""
        await self._call(OWN_ROWS, work)
        self._refresh(await self._call(OWN_VIEW, _account_of))

    @rx.event
    async def save_name(self, form_data: dict[str, Any]) -> None:
        with self._section("name_notice"):
            await self._save(lambda call: _save_name(call, form_data))
            self.name_notice = notice("account.name.saved")

    @rx.event
    async def change_email(self, form_data: dict[str, Any]) -> None:
        with self._section("email_notice"):
            await self._save(lambda call: _change_email(call, form_data))
            self.email_notice = notice("account.email.sent")

    @rx.event
    async def save_language(self, language: str) -> None:
        """The language of the person's pages and e-mails, stored on the account."""
        with self._section("language_notice"):
            await self._call(OWN_ROWS, lambda call: _save_language(call, language))
            self.lang = language
            self.language_notice = notice("account.language.saved")

    @rx.event
    async def save_password(self, form_data: dict[str, Any]) -> None:
        """Set or change the password; the current one is required when there is one."""
        with self._section("password_notice"):
            keep = self._token()
            await self._save(lambda call: _save_password(call, form_data, keep))
            self.password_notice = notice("account.password.saved")

    @rx.event
    async def disable_two_factor(self, form_data: dict[str, Any]) -> None:
        with self._section("two_factor_notice"):
            self._refresh(await self._call(OWN_VIEW, lambda call: _disable_two_factor(call, form_data)))
            self.recovery_codes = []
            self.two_factor_notice = notice("account.two_factor.disabled")

    @rx.event
    async def regenerate_codes(self, form_data: dict[str, Any]) -> None:
        with self._section("two_factor_notice"):
            codes = await self._call(OWN_ROWS, lambda call: _regenerate_codes(call, form_data))
            self.two_factor_notice = NO_NOTICE
            self.recovery_codes = codes

    @rx.event
    def hide_codes(self) -> None:
        self.recovery_codes = []


@dataclass(frozen=True)
class _Account:
    """What the page shows of the account, read in one go."""

    view: account_settings.AccountView
    identity: Identity
    billing: tuple[str, str]  # the banner for the page frame (AppState._show_resolved)


def _account_of(call: Call) -> _Account:
    view = account_settings.account_view(call.db, user_id=call.identity.user_id)
    return _Account(view, call.identity, billing_notice(call.identity))


def _save_name(call: Call, form: Any) -> None:
    name = required_text(form, "display_name", TEXT_MAX)
    change_display_name(call.db, user_id=call.identity.user_id, name=name)


def _change_email(call: Call, form: Any) -> None:
    new_email = required_text(form, "new_email", TEXT_MAX)
    request_email_change(call.db, user_id=call.identity.user_id, new_email=new_email)


def _save_language(call: Call, language: object) -> None:
    if not isinstance(language, str) or language not in LANGUAGES:
        raise InvalidInput("unsupported language")
    set_language(call.db, user_id=call.identity.user_id, language=language)


def _save_password(call: Call, form: Any, keep_session_token: str | None) -> None:
    current = required_text(form, "current_password", PASSWORD_MAX)
    new = required_text(form, "new_password", PASSWORD_MAX)
    if new != required_text(form, "repeat_password", PASSWORD_MAX):
        raise InvalidInput("passwords differ", message_key="account.password.mismatch")
    set_password(
        call.db,
        user_id=call.identity.user_id,
        current_password=current or None,
        new_password=new,
        keep_session_token=keep_session_token,
    )


def _disable_two_factor(call: Call, form: Any) -> _Account:
    code = required_text(form, "disable_code", CODE_MAX)
    account_settings.disable_two_factor(call.db, user_id=call.identity.user_id, code=code)
    return _account_of(call)


def _regenerate_codes(call: Call, form: Any) -> list[str]:
    code = required_text(form, "regenerate_code", CODE_MAX)
    return account_settings.regenerate_recovery_codes(call.db, user_id=call.identity.user_id, code=code)
