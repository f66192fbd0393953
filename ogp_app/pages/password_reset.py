"""/forgot-password (ask for a link; one neutral answer) and /reset-password?token= (POST the new one)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import auth_column, field, messages, post_form, submit
from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.core.db import session as db_session
from ogp_app.models import TokenPurpose
from ogp_app.pages.login import EMAIL_MAX
from ogp_app.services.accounts import request_password_reset
from ogp_app.services.errors import DomainError
from ogp_app.state.auth_flow import AuthFlowState
from ogp_app.state.form_input import form_text


class ForgotPasswordState(AuthFlowState):
    @rx.event
    def load(self) -> None:
        self._read_messages()

    @rx.event
    def submit(self, form: dict) -> None:
        email = form_text(form, "email", EMAIL_MAX)
        if email is None:
            return
        try:
            with db_session() as db:
                request_password_reset(db, email=email, ip=self.router.session.client_ip or None)
        except DomainError as error:  # invalid address, or too many requests
            self._show_error(error)
            return
        self._show_notice("auth.notice.reset_sent")


class ResetPasswordState(AuthFlowState):
    @rx.event
    def load(self) -> None:
        self._load_link(TokenPurpose.PASSWORD_RESET)


def forgot_password_page() -> rx.Component:
    return page_frame(
        auth_column(
            rx.heading(t("forgot.title"), as_="h1", size="7"),
            messages(ForgotPasswordState.error_text, ForgotPasswordState.notice_text),
            rx.text(t("forgot.body")),
            rx.form(
                rx.vstack(
                    field(
                        "auth.email", "email", field_id="forgot-email", type_="email", autocomplete="email"
                    ),
                    submit("forgot.submit", width="100%"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=ForgotPasswordState.submit,
                width="100%",
            ),
            rx.link(t("auth.to_login"), href="/login"),
        )
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
    return page_frame(
        auth_column(
            rx.heading(t("reset.title"), as_="h1", size="7"),
            messages(ResetPasswordState.error_text, ResetPasswordState.notice_text),
            rx.cond(
                ResetPasswordState.link_ok,
                rx.vstack(rx.text(t("reset.body")), form, spacing="4", width="100%"),
                rx.link(t("login.forgot"), href="/forgot-password"),
            ),
        )
    )
