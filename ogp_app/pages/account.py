"""/account: a signed-in person manages their own name, e-mail, language, password and second factor.

Every handler re-reads identity from the session cookie (through ``_call``); the user id never comes from
the client. Passwords and codes travel in the submitted form only and are never kept in state.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.forms import post_form
from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, link_button, section, text_input
from ogp_app.components.text import t
from ogp_app.i18n import LANGUAGES
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
# so the handlers that show it again get an unscoped session; the others only a plain one.
OWN_VIEW = Access(unscoped="the person's memberships span schools")
OWN_ROWS = Access()


@dataclass(frozen=True)
class SchoolRow:
    """One school of the person, for the switch list (display data only)."""

    school_id: int  # the switch form posts it; the route checks the membership again
    name: str
    roles: list[str]
    current: bool


class AccountState(AppState):
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

    def _signed_out(self) -> None:
        self._clear()
        self._show(None)

    def _form(self, notice_var: str) -> AbstractContextManager[None]:
        """Around a form's handler: signed out clears the page; any other refusal is the form's notice."""
        return self._handled(deny=self._signed_out, notice=notice_var, forbidden_as_notice=True)

    @rx.event
    async def load_account(self) -> None:
        """on_load: the caller's own account, or nothing when signed out."""
        self._clear()
        try:
            self._refresh(await self._call(OWN_VIEW, _account_of))
        except NotAuthenticated:
            self._signed_out()

    @rx.event
    async def save_name(self, form_data: dict[str, Any]) -> None:
        with self._form("name_notice"):
            self._refresh(await self._call(OWN_VIEW, lambda call: _save_name(call, form_data)))
            self.name_notice = notice("account.name.saved")

    @rx.event
    async def change_email(self, form_data: dict[str, Any]) -> None:
        with self._form("email_notice"):
            self._refresh(await self._call(OWN_VIEW, lambda call: _change_email(call, form_data)))
            self.email_notice = notice("account.email.sent")

    @rx.event
    async def save_language(self, language: str) -> None:
        """The language of the person's pages and e-mails, stored on the account."""
        with self._form("language_notice"):
            await self._call(OWN_ROWS, lambda call: _save_language(call, language))
            self.lang = language
            self.language_notice = notice("account.language.saved")

    @rx.event
    async def save_password(self, form_data: dict[str, Any]) -> None:
        """Set or change the password; the current one is required when there is one."""
        with self._form("password_notice"):
            keep = self._token()
            self._refresh(await self._call(OWN_VIEW, lambda call: _save_password(call, form_data, keep)))
            self.password_notice = notice("account.password.saved")

    @rx.event
    async def disable_two_factor(self, form_data: dict[str, Any]) -> None:
        with self._form("two_factor_notice"):
            # unscoped: the mandatory check reads roles at every school
            self._refresh(await self._call(OWN_VIEW, lambda call: _disable_two_factor(call, form_data)))
            self.recovery_codes = []
            self.two_factor_notice = notice("account.two_factor.disabled")

    @rx.event
    async def regenerate_codes(self, form_data: dict[str, Any]) -> None:
        with self._form("two_factor_notice"):
            codes = await self._call(OWN_ROWS, lambda call: _regenerate_codes(call, form_data))
            self.two_factor_notice = NO_NOTICE
            self.recovery_codes = codes

    @rx.event
    def hide_codes(self) -> None:
        self.recovery_codes = []


# The blocking work of the handlers (in a worker thread; it touches no state). Form fields are read
# here, after the caller was checked, as before: a signed-out caller is signed out whatever they sent.


@dataclass(frozen=True)
class _Account:
    """What the page shows of the account, read in one go."""

    view: account_settings.AccountView
    identity: Identity
    billing: tuple[str, str]  # the banner for the page frame (AppState._show_resolved)


def _account_of(call: Call) -> _Account:
    view = account_settings.account_view(call.db, user_id=call.identity.user_id)
    return _Account(view, call.identity, billing_notice(call.identity))


def _save_name(call: Call, form: Any) -> _Account:
    name = required_text(form, "display_name", TEXT_MAX)
    change_display_name(call.db, user_id=call.identity.user_id, name=name)
    return _account_of(call)


def _change_email(call: Call, form: Any) -> _Account:
    new_email = required_text(form, "new_email", TEXT_MAX)
    request_email_change(call.db, user_id=call.identity.user_id, new_email=new_email)
    return _account_of(call)


def _save_language(call: Call, language: object) -> None:
    if not isinstance(language, str) or language not in LANGUAGES:
        raise InvalidInput("unsupported language")
    set_language(call.db, user_id=call.identity.user_id, language=language)


def _save_password(call: Call, form: Any, keep_session_token: str | None) -> _Account:
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
    return _account_of(call)


def _disable_two_factor(call: Call, form: Any) -> _Account:
    code = required_text(form, "disable_code", CODE_MAX)
    account_settings.disable_two_factor(call.db, user_id=call.identity.user_id, code=code)
    return _account_of(call)


def _regenerate_codes(call: Call, form: Any) -> list[str]:
    code = required_text(form, "regenerate_code", CODE_MAX)
    return account_settings.regenerate_recovery_codes(call.db, user_id=call.identity.user_id, code=code)


# --- the page ---------------------------------------------------------------------------------------


def _submit(label_key: str, **props: Any) -> rx.Component:
    return rx.button(t(label_key), type="submit", high_contrast=True, size="3", **props)


def _name_section() -> rx.Component:
    return section(
        "account.name.title",
        rx.el.form(
            rx.vstack(
                field(
                    "account.name.label",
                    "display_name",
                    text_input(
                        "display_name",
                        default_value=AccountState.display_name,
                        required=True,
                        max_length=200,
                        auto_complete="name",
                    ),
                ),
                _submit("account.name.save"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.save_name,
            key=AccountState.form_key,
            width="100%",
        ),
        notice_view(AccountState.name_notice),
        id="account-name",
    )


def _email_section() -> rx.Component:
    pending = rx.cond(
        AccountState.pending_email != "",
        rx.callout(
            rx.vstack(
                rx.text(
                    rx.text(t("account.email.pending"), weight="bold", as_="span"),
                    " ",
                    rx.text(AccountState.pending_email, as_="span"),
                ),
                rx.text(t("account.email.pending_help"), size="2"),
                spacing="1",
            ),
            icon="mail",
            color_scheme="amber",
            high_contrast=True,
            width="100%",
            id="pending-email",
        ),
    )
    return section(
        "account.email.title",
        rx.data_list.root(
            rx.data_list.item(
                rx.data_list.label(t("account.email.current")),
                rx.data_list.value(AccountState.email, word_break="break-all"),
            ),
        ),
        pending,
        rx.el.form(
            rx.vstack(
                field(
                    "account.email.new",
                    "new_email",
                    text_input(
                        "new_email", type="email", required=True, max_length=254, auto_complete="email"
                    ),
                ),
                _submit("account.email.submit", variant="outline"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.change_email,
            reset_on_submit=True,
            width="100%",
        ),
        notice_view(AccountState.email_notice),
        id="account-email",
    )


def _language_section() -> rx.Component:
    def choice(code: str) -> rx.Component:
        return rx.el.label(
            rx.hstack(
                rx.radio_group.item(value=code, id=f"account-lang-{code}"),
                rx.text(t(f"lang.{code}"), lang=code),
                spacing="2",
                align="center",
            ),
            cursor="pointer",
        )

    return section(
        "account.language.title",
        rx.text(t("account.language.help"), size="2", color_scheme="gray", id="account-language-help"),
        rx.radio_group.root(
            rx.hstack(choice("nl"), choice("en"), spacing="5"),
            value=AppState.lang,
            on_change=AccountState.save_language,
            name="account_language",
            aria_label=t("account.language.title"),
            aria_describedby="account-language-help",
            size="3",
        ),
        notice_view(AccountState.language_notice),
        id="account-language",
    )


def _password_section() -> rx.Component:
    current = field(
        "account.password.current",
        "current_password",
        text_input("current_password", type="password", required=True, auto_complete="current-password"),
    )
    return section(
        "account.password.title",
        rx.cond(~AccountState.has_password, rx.text(t("account.password.none"))),
        rx.el.form(
            rx.vstack(
                rx.cond(AccountState.has_password, current),
                field(
                    "account.password.new",
                    "new_password",
                    text_input(
                        "new_password",
                        type="password",
                        required=True,
                        auto_complete="new-password",
                        help_id=True,
                    ),
                    help_key="account.password.hint",
                ),
                field(
                    "account.password.repeat",
                    "repeat_password",
                    text_input(
                        "repeat_password", type="password", required=True, auto_complete="new-password"
                    ),
                ),
                rx.cond(
                    AccountState.has_password,
                    _submit("account.password.change", variant="outline"),
                    _submit("account.password.set", variant="outline"),
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.save_password,
            reset_on_submit=True,
            width="100%",
        ),
        notice_view(AccountState.password_notice),
        id="account-password",
    )


def _code_form(code_id: str, button_key: str, handler: Any, **button: Any) -> rx.Component:
    return rx.el.form(
        rx.vstack(
            field(
                "account.two_factor.code",
                code_id,
                text_input(
                    code_id,
                    required=True,
                    max_length=CODE_MAX,
                    auto_complete="one-time-code",
                    input_mode="text",
                ),
            ),
            _submit(button_key, variant="outline", **button),
            spacing="3",
            width="100%",
        ),
        on_submit=handler,
        reset_on_submit=True,
        width="100%",
    )


def _recovery_codes() -> rx.Component:
    return rx.cond(
        AccountState.recovery_codes.length() > 0,  # type: ignore[attr-defined]
        rx.callout(
            rx.vstack(
                rx.text(t("account.two_factor.codes_title"), weight="bold"),
                rx.text(t("account.two_factor.codes_help"), size="2"),
                rx.el.ul(
                    rx.foreach(
                        AccountState.recovery_codes,
                        lambda code: rx.el.li(rx.code(code, size="3", variant="ghost")),
                    ),
                    id="recovery-codes",
                    style={"columns": "2", "listStyle": "none", "padding": "0", "margin": "0"},
                ),
                rx.button(
                    t("account.two_factor.codes_done"), on_click=AccountState.hide_codes, variant="soft"
                ),
                spacing="2",
            ),
            icon="key_round",
            color_scheme="amber",
            high_contrast=True,
            width="100%",
        ),
    )


def _two_factor_section() -> rx.Component:
    enabled = rx.vstack(
        rx.cond(
            AccountState.two_factor_mandatory,
            rx.text(t("account.two_factor.mandatory"), size="2"),
            _code_form(
                "disable_code",
                "account.two_factor.disable",
                AccountState.disable_two_factor,
                color_scheme="red",
            ),
        ),
        _code_form("regenerate_code", "account.two_factor.regenerate", AccountState.regenerate_codes),
        _recovery_codes(),
        spacing="4",
        width="100%",
    )
    disabled = rx.vstack(
        rx.text(t("account.two_factor.off_help")),
        rx.cond(AccountState.two_factor_mandatory, rx.text(t("account.two_factor.mandatory"), size="2")),
        link_button("account.two_factor.setup", "/account/two-factor"),
        spacing="3",
        width="100%",
    )
    return section(
        "account.two_factor.title",
        rx.hstack(
            rx.text(t("account.two_factor.status"), weight="medium"),
            rx.cond(
                AccountState.two_factor_enabled,
                rx.badge(t("account.two_factor.on"), color_scheme="green", size="2", high_contrast=True),
                rx.badge(t("account.two_factor.off"), color_scheme="gray", size="2", high_contrast=True),
            ),
            align="center",
            id="two-factor-status",
        ),
        rx.cond(AccountState.two_factor_enabled, enabled, disabled),
        notice_view(AccountState.two_factor_notice),
        id="account-two-factor",
    )


def _role_badge(role: rx.Var[str]) -> rx.Component:
    return rx.badge(
        rx.match(
            role,
            ("school_admin", t("app.role.school_admin")),
            ("teacher", t("app.role.teacher")),
            t("app.role.parent"),
        ),
        size="2",
        high_contrast=True,
    )


def _school_row(row: rx.Var[SchoolRow]) -> rx.Component:
    school: Any = row
    return rx.flex(
        rx.vstack(
            rx.text(school.name, weight="bold"),
            rx.hstack(rx.foreach(school.roles, _role_badge), wrap="wrap", spacing="2"),
            spacing="1",
        ),
        rx.cond(
            school.current,
            rx.badge(t("account.schools.current"), color_scheme="green", size="2", high_contrast=True),
            post_form(
                "/api/auth/switch-school",
                rx.el.input(type="hidden", name="school_id", value=school.school_id.to_string()),
                rx.button(t("account.schools.switch"), type="submit", variant="outline", high_contrast=True),
            ),
        ),
        justify="between",
        align="center",
        gap="3",
        wrap="wrap",
        width="100%",
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-a4)",
    )


def _schools_section() -> rx.Component:
    return section(
        "account.schools.title",
        rx.cond(
            AccountState.schools.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(rx.foreach(AccountState.schools, _school_row), spacing="0", width="100%"),
            rx.text(t("account.schools.none")),
        ),
        id="account-schools",
    )


def _sessions_section() -> rx.Component:
    return section(
        "account.sessions.title",
        rx.text(t("account.sessions.help")),
        post_form(
            "/api/auth/logout-everywhere",
            rx.button(
                t("app.logout_everywhere"),
                type="submit",
                variant="outline",
                color_scheme="red",
                high_contrast=True,
            ),
        ),
        id="account-sessions",
    )


def account_page() -> rx.Component:
    signed_in = rx.vstack(
        rx.heading(t("account.title"), as_="h1", size="7"),
        rx.grid(
            rx.vstack(
                _name_section(),
                _email_section(),
                _language_section(),
                _schools_section(),
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                _password_section(), _two_factor_section(), _sessions_section(), spacing="4", width="100%"
            ),
            columns={"initial": "1", "md": "2"},
            gap="1rem",
            width="100%",
            align="start",
        ),
        spacing="4",
        width="100%",
    )
    signed_out = rx.vstack(
        rx.heading(t("account.title"), as_="h1", size="7"),
        rx.text(t("app.not_signed_in")),
        link_button("nav.login", "/login"),
        spacing="3",
    )
    return page_frame(
        rx.cond(
            AccountState.account_loaded, signed_in, rx.cond(AppState.signed_in, rx.fragment(), signed_out)
        )
    )
