"""The view of /account (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import callout_stack, column, or_empty, two_columns
from ogp_app.components.forms import post_form, submit
from ogp_app.components.layout import own_page, page_column, page_frame
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, input_field, section, text_input
from ogp_app.components.text import t
from ogp_app.pages.account.account.security import _password_section, _two_factor_section
from ogp_app.pages.account.account.state import AccountState, SchoolRow
from ogp_app.state.base import AppState


def _name_section() -> rx.Component:
    return section(
        "account.name.title",
        form_stack(
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
            submit("account.name.save"),
            on_submit=AccountState.save_name,
            key=AccountState.form_key,
        ),
        notice_view(AccountState.name_notice),
        id="account-name",
    )


def _email_section() -> rx.Component:
    pending = rx.cond(
        AccountState.pending_email != "",
        callout_stack(
            rx.text(
                rx.text(t("account.email.pending"), weight="bold", as_="span"),
                " ",
                rx.text(AccountState.pending_email, as_="span"),
            ),
            rx.text(t("account.email.pending_help"), size="2"),
            icon="mail",
            color="amber",
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
        form_stack(
            input_field(
                "account.email.new",
                "new_email",
                type="email",
                required=True,
                max_length=254,
                auto_complete="email",
            ),
            submit("account.email.submit", variant="outline"),
            on_submit=AccountState.change_email,
            reset_on_submit=True,
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
        or_empty(
            AccountState.schools,
            rx.vstack(rx.foreach(AccountState.schools, _school_row), spacing="0", width="100%"),
            "account.schools.none",
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
    signed_in = page_column(
        "account.title",
        two_columns(
            column(_name_section(), _email_section(), _language_section(), _schools_section()),
            column(_password_section(), _two_factor_section(), _sessions_section()),
        ),
    )
    return page_frame(
        own_page(
            AccountState.account_loaded,
            signed_in,
            title_key="account.title",
            signed_out_key="app.not_signed_in",
        )
    )
