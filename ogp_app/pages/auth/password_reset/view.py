"""The view of /forgot-password and /reset-password (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import column
from ogp_app.components.forms import auth_page, field, post_form, submit
from ogp_app.components.settings_forms import form_stack
from ogp_app.components.text import t
from ogp_app.pages.auth.password_reset.state import ForgotPasswordState, ResetPasswordState


def forgot_password_page() -> rx.Component:
    return auth_page(
        "forgot.title",
        ForgotPasswordState,
        rx.text(t("forgot.body")),
        form_stack(
            field("auth.email", "email", field_id="forgot-email", type_="email", autocomplete="email"),
            submit("forgot.submit", width="100%"),
            on_submit=ForgotPasswordState.submit,
            element=rx.form,
        ),
        rx.link(t("auth.to_login"), href="/login"),
    )


def reset_password_page() -> rx.Component:
    form = post_form(
        "/api/auth/reset-password",
        rx.el.input(type="hidden", name="token", value=ResetPasswordState.token),
        rx.vstack(
            field(
                "reset.password",
                "password",
                field_id="reset-password",
                type_="password",
                autocomplete="new-password",
                hint_key="signup.password_hint",
                max_length=1024,
                min_length=12,
            ),
            submit("reset.submit", width="100%"),
            spacing="3",
            width="100%",
        ),
    )
    return auth_page(
        "reset.title",
        ResetPasswordState,
        rx.cond(
            ResetPasswordState.link_ok,
            column(rx.text(t("reset.body")), form),
            rx.link(t("login.forgot"), href="/forgot-password"),
        ),
    )
