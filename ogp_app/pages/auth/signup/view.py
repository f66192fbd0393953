"""The view of /signup (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import column
from ogp_app.components.forms import auth_page, field, submit
from ogp_app.components.settings_forms import form_stack
from ogp_app.components.text import t
from ogp_app.pages.auth.signup.state import NAME_MAX, PASSWORD_MAX, SignupState


def _form() -> rx.Component:
    return form_stack(
        field("signup.name", "name", field_id="signup-name", autocomplete="name", max_length=NAME_MAX),
        field("auth.email", "email", field_id="signup-email", type_="email", autocomplete="email"),
        field(
            "auth.password",
            "password",
            field_id="signup-password",
            type_="password",
            autocomplete="new-password",
            hint_key="signup.password_hint",
            max_length=PASSWORD_MAX,
            min_length=12,
        ),
        field(
            "signup.school_name",
            "school_name",
            field_id="signup-school",
            autocomplete="organization",
            max_length=NAME_MAX,
        ),
        rx.text(t("signup.privacy"), size="2"),
        rx.link(t("consent.by_continuing"), href="/privacy", size="2", id="signup-privacy-link"),
        submit("signup.submit", width="100%"),
        on_submit=SignupState.submit,
        element=rx.form,
    )


def _sent() -> rx.Component:
    return rx.vstack(
        rx.heading(t("signup.sent.title"), as_="h2", size="5"),
        rx.text(t("signup.sent.body")),
        rx.text(SignupState.sent_to, weight="bold", overflow_wrap="anywhere"),
        rx.button(t("signup.resend"), on_click=SignupState.resend, variant="outline", size="3"),
        spacing="3",
        width="100%",
    )


def signup_page() -> rx.Component:
    return auth_page(
        "signup.title",
        SignupState,
        rx.cond(
            SignupState.sent,
            _sent(),
            column(rx.text(t("signup.intro")), _form(), rx.link(t("signup.have_account"), href="/login")),
        ),
    )
