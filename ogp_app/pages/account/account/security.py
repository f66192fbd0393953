"""The /account page's security panels: password, second factor and recovery codes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import callout_stack, column
from ogp_app.components.forms import submit
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, input_field, link_button, section, text_input
from ogp_app.components.text import t
from ogp_app.pages.account.account.state import CODE_MAX, AccountState


def _password_section() -> rx.Component:
    current = input_field(
        "account.password.current",
        "current_password",
        type="password",
        required=True,
        auto_complete="current-password",
    )
    return section(
        "account.password.title",
        rx.cond(~AccountState.has_password, rx.text(t("account.password.none"))),
        form_stack(
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
            input_field(
                "account.password.repeat",
                "repeat_password",
                type="password",
                required=True,
                auto_complete="new-password",
            ),
            rx.cond(
                AccountState.has_password,
                submit("account.password.change", variant="outline"),
                submit("account.password.set", variant="outline"),
            ),
            on_submit=AccountState.save_password,
            reset_on_submit=True,
        ),
        notice_view(AccountState.password_notice),
        id="account-password",
    )


def _code_form(code_id: str, button_key: str, handler: Any, **button: Any) -> rx.Component:
    return form_stack(
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
        submit(button_key, variant="outline", **button),
        on_submit=handler,
        reset_on_submit=True,
    )


def _recovery_codes() -> rx.Component:
    return rx.cond(
        AccountState.recovery_codes.length() > 0,  # type: ignore[attr-defined]
        callout_stack(
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
            rx.button(t("account.two_factor.codes_done"), on_click=AccountState.hide_codes, variant="soft"),
            icon="key_round",
            color="amber",
            width="100%",
            spacing="2",
        ),
    )


def _two_factor_section() -> rx.Component:
    enabled = column(
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
