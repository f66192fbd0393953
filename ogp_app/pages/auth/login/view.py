"""The view of /login (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import card_stack
from ogp_app.components.forms import auth_column, field, messages, post_form, submit
from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.settings_forms import form_stack
from ogp_app.components.text import t
from ogp_app.core.settings import get_settings
from ogp_app.pages.auth.login.state import SLUG_MAX, LoginState
from ogp_app.services.development.demo import DEMO_ACCOUNTS

# A link, not a form: CSP form-action 'self' also covers where a form's redirect goes (the provider).
SSO_START = "/api/auth/oidc/start?school="


_BUTTON_CLASSES = "rt-reset rt-BaseButton rt-r-size-3 rt-variant-outline rt-Button"


def _secondary_submit(label_key: str) -> rx.Component:
    return rx.button(t(label_key), type="submit", size="3", variant="outline", width="100%")


def _demo_login(label_key: str, email: str) -> rx.Component:
    return post_form(
        "/api/dev/login",
        rx.el.input(type="hidden", name="email", value=email),
        rx.button(t(label_key), type="submit", variant="soft", width="100%"),
    )


def _demo_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("login.demo.title"), as_="h2", size="4"),
            rx.text(t("login.demo.body")),
            *[_demo_login(f"login.demo.{role}", email) for role, email in DEMO_ACCOUNTS.items()],
            spacing="3",
        ),
        width="100%",
    )


def _password_card() -> rx.Component:
    return card_stack(
        rx.heading(t("login.password.title"), as_="h2", size="4"),
        post_form(
            "/api/auth/login",
            rx.vstack(
                field("auth.email", "email", field_id="login-email", type_="email", autocomplete="username"),
                field(
                    "auth.password",
                    "password",
                    field_id="login-password",
                    type_="password",
                    autocomplete="current-password",
                    max_length=1024,
                ),
                submit("login.submit", width="100%"),
                spacing="3",
                width="100%",
            ),
        ),
        rx.hstack(
            rx.link(t("login.forgot"), href="/forgot-password"),
            rx.link(t("login.signup"), href="/signup"),
            spacing="4",
            wrap="wrap",
        ),
    )


def _link_card() -> rx.Component:
    return card_stack(
        rx.heading(t("login.link.title"), as_="h2", size="4"),
        rx.text(t("login.link.body")),
        form_stack(
            field("auth.email", "email", field_id="link-email", type_="email", autocomplete="email"),
            rx.button(t("login.link.submit"), type="submit", size="3", variant="outline", width="100%"),
            on_submit=LoginState.request_link,
            element=rx.form,
        ),
    )


def _sso_card() -> rx.Component:
    return card_stack(
        rx.heading(t("login.sso.title"), as_="h2", size="4"),
        rx.text(t("login.sso.body")),
        rx.vstack(
            field(
                "login.sso.school",
                "school",
                field_id="sso-school",
                max_length=SLUG_MAX,
                value=LoginState.sso_school,
                on_change=LoginState.set_sso_school,
            ),
            rx.el.a(
                t("login.sso.submit"),
                href=SSO_START + LoginState.sso_school,
                class_name=_BUTTON_CLASSES,
                id="sso-start",
                custom_attrs={"reloadDocument": True},  # a full page load, not client routing
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
    )


def login_page() -> rx.Component:
    sections: list[rx.Component] = [
        page_title("login.title"),
        messages(LoginState.error_text, LoginState.notice_text),
        _password_card(),
        _link_card(),
        _sso_card(),
    ]
    if get_settings().env == "development":
        sections.append(_demo_section())
    return page_frame(auth_column(*sections))
