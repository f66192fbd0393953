"""/login: password, e-mail sign-in link, or the school's identity provider; demo accounts in development.

The password form and the school form are plain HTML forms (POST /api/auth/login, GET
/api/auth/oidc/start): they end in a redirect, so the page reloads with the new cookie. Asking for a
sign-in link is a state handler; its answer is the same whether or not the address has an account.
"""

from __future__ import annotations

import re

import reflex as rx

from ogp_app.services.accounts import request_sign_in_link
from ogp_app.state.auth_flow import AuthFlowState
from ogp_app.state.form_input import form_text

EMAIL_MAX = 320


SLUG_MAX = 80


_NOT_SLUG = re.compile(r"[^a-z0-9-]")


class LoginState(AuthFlowState):
    sso_school: str = ""  # the school code typed for "log in with your school's account"

    @rx.event
    def load(self) -> None:
        self._read_messages()

    @rx.event
    def set_sso_school(self, value: str) -> None:
        """Keep only what a school code (slug) can hold, so the link needs no escaping."""
        if isinstance(value, str):
            self.sso_school = _NOT_SLUG.sub("", value.strip().lower())[:SLUG_MAX]

    @rx.event
    async def request_link(self, form: dict) -> None:
        """E-mail me a sign-in link: one neutral answer for known and unknown addresses."""
        email = form_text(form, "email", EMAIL_MAX)
        if email is None:
            return
        ip = self.router.session.client_ip or None
        with self._errors_shown():  # invalid address, or too many requests
            await self._call_public(lambda call: request_sign_in_link(call.db, email=email, ip=ip))
            self._show_notice("auth.notice.link_sent")
