"""/forgot-password (ask for a link; one neutral answer) and /reset-password?token= (POST the new one)."""

from __future__ import annotations

import reflex as rx

from ogp_app.models import TokenPurpose
from ogp_app.pages.auth.login.state import EMAIL_MAX
from ogp_app.services.accounts import request_password_reset
from ogp_app.state.auth_flow import AuthFlowState
from ogp_app.state.form_input import form_text


class ForgotPasswordState(AuthFlowState):
    @rx.event
    def load(self) -> None:
        self._read_messages()

    @rx.event
    async def submit(self, form: dict) -> None:
        email = form_text(form, "email", EMAIL_MAX)
        if email is None:
            return
        ip = self.router.session.client_ip or None
        with self._errors_shown():  # invalid address, or too many requests
            await self._call_public(lambda call: request_password_reset(call.db, email=email, ip=ip))
            self._show_notice("auth.notice.reset_sent")


class ResetPasswordState(AuthFlowState):
    @rx.event
    async def load(self) -> None:
        await self._load_link(TokenPurpose.PASSWORD_RESET)
