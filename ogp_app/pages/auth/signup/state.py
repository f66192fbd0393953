"""/signup: a school signs up its first administrator; then "check your e-mail", with a resend button."""

from __future__ import annotations

from contextlib import suppress

import reflex as rx

from ogp_app.i18n import normalise_language
from ogp_app.pages.auth.login.state import EMAIL_MAX
from ogp_app.services.accounts import EmailTaken, resend_verification, sign_up_school_admin
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
    async def submit(self, form: dict) -> None:
        name = form_text(form, "name", NAME_MAX)
        email = form_text(form, "email", EMAIL_MAX)
        password = form_text(form, "password", PASSWORD_MAX)
        school_name = form_text(form, "school_name", NAME_MAX)
        if name is None or email is None or password is None or school_name is None:
            return
        language, ip = normalise_language(self.lang), self.router.session.client_ip or None
        with self._errors_shown():
            # EmailTaken: answered like a new address; the owner was told by mail, the form reveals nothing
            with suppress(EmailTaken):
                await self._call_public(
                    lambda call: sign_up_school_admin(
                        call.db,
                        name=name,
                        email=email,
                        password=password,
                        school_name=school_name,
                        language=language,
                        ip=ip,
                    ),
                    unscoped="a new tenant: no school scope exists yet",
                )
            self.error_key, self.notice_key = "", ""
            self.sent, self.sent_to = True, email.strip().lower()

    @rx.event
    async def resend(self) -> None:
        if not self.sent or not self.sent_to:
            return
        email, ip = self.sent_to, self.router.session.client_ip or None
        with self._errors_shown():
            await self._call_public(lambda call: resend_verification(call.db, email=email, ip=ip))
            self._show_notice("auth.notice.verification_resent")
