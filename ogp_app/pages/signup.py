"""/signup: a school signs up its first administrator; then "check your e-mail", with a resend button."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import auth_column, field, messages, submit
from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.core.db import session as db_session
from ogp_app.core.db import unscoped
from ogp_app.i18n import normalise_language
from ogp_app.pages.login import EMAIL_MAX
from ogp_app.services.accounts import EmailTaken, resend_verification, sign_up_school_admin
from ogp_app.services.errors import DomainError
from ogp_app.state.auth_flow import AuthFlowState
from ogp_app.state.form_input import form_text

NAME_MAX = 200
PASSWORD_MAX = 1024


class SignupState(AuthFlowState):
    sent: bool = False
    sent_to: str = ""  # the address the person typed themselves, for "check your e-mail"

    @rx.event
    def load(self) -> None:
        self._read_messages()
        self.sent, self.sent_to = False, ""

    @rx.event
    def submit(self, form: dict) -> None:
        name = form_text(form, "name", NAME_MAX)
        email = form_text(form, "email", EMAIL_MAX)
        password = form_text(form, "password", PASSWORD_MAX)
        school_name = form_text(form, "school_name", NAME_MAX)
        if name is None or email is None or password is None or school_name is None:
            return
        try:
            with unscoped() as db:  # a new tenant: no school scope exists yet
                sign_up_school_admin(
                    db,
                    name=name,
                    email=email,
                    password=password,
                    school_name=school_name,
                    language=normalise_language(self.lang),
                    ip=self.router.session.client_ip or None,
                )
        except EmailTaken:
            pass  # answered like a new address: the owner was told by mail, the form reveals nothing
        except DomainError as error:
            self._show_error(error)
            return
        self.error_key, self.notice_key = "", ""
        self.sent, self.sent_to = True, email.strip().lower()

    @rx.event
    def resend(self) -> None:
        if not self.sent or not self.sent_to:
            return
        try:
            with db_session() as db:
                resend_verification(db, email=self.sent_to, ip=self.router.session.client_ip or None)
        except DomainError as error:
            self._show_error(error)
            return
        self._show_notice("auth.notice.verification_resent")


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
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
            spacing="3",
            width="100%",
        ),
        on_submit=SignupState.submit,
        width="100%",
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
    return page_frame(
        auth_column(
            rx.heading(t("signup.title"), as_="h1", size="7"),
            messages(SignupState.error_text, SignupState.notice_text),
            rx.cond(
                SignupState.sent,
                _sent(),
                rx.vstack(
                    rx.text(t("signup.intro")),
                    _form(),
                    rx.link(t("signup.have_account"), href="/login"),
                    spacing="4",
                    width="100%",
                ),
            ),
        )
    )
