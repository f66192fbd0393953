"""/account/two-factor: enrol an authenticator (QR code drawn here, no outside service), get recovery codes.

Reachable while enrolment is required (its handlers use ``allow_unenrolled``): an administrator without
a second factor is sent here and can do nothing else until it is on.
"""

from __future__ import annotations

import base64

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.services.auth.login_flow import enable_second_factor
from ogp_app.services.auth.sessions import Identity, resolve_session
from ogp_app.services.auth.two_factor import current_enrolment, is_enrolled
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.handler_calls import Access, Call
from ogp_app.state.auth_flow import AuthFlowState
from ogp_app.state.base import billing_notice
from ogp_app.state.form_input import form_text

_SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


ENROLLING = Access(allow_unenrolled=True)  # the person's own authenticator: a plain session


NOT_SIGNED_IN = "/login?error=not_signed_in"


def svg_data_uri(svg: str) -> str:
    """An <img>-able data: URI of the service's inline SVG (img-src allows data:, nothing is fetched)."""
    if _SVG_NS not in svg:
        svg = svg.replace("<svg ", f"<svg {_SVG_NS} ", 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class TwoFactorSetupState(AuthFlowState):
    enrolled: bool = False
    # Shown once, to the person enrolling: their own new secret (as QR and as text) and recovery codes.
    qr_data_uri: str = ""
    secret: str = ""
    recovery_codes: list[str] = []

    def _forget(self) -> None:
        self.qr_data_uri, self.secret, self.recovery_codes = "", "", []

    @rx.event
    async def load(self) -> EventSpec | None:
        self._read_messages()
        self._forget()
        try:
            enrolled, qr_data_uri, secret = await self._call(ENROLLING, _enrolment_of)
        except NotAuthenticated:
            return rx.redirect(NOT_SIGNED_IN)
        self.enrolled = enrolled
        if not enrolled:
            self.qr_data_uri, self.secret = qr_data_uri, secret
        return None

    @rx.event
    async def confirm(self, form: dict) -> EventSpec | None:
        code = form_text(form, "code", 64)
        if code is None:
            return None
        token = self._token()
        try:
            codes, identity, billing = await self._call(ENROLLING, lambda call: _enable(call, code, token))
        except NotAuthenticated:
            return rx.redirect(NOT_SIGNED_IN)
        except PermissionDenied:  # refused before the work ran (consent due): the event fails, as before
            raise
        except DomainError as error:
            self._show_error(error)
            return None
        self._forget()
        self.enrolled, self.recovery_codes = True, codes
        self.error_key = ""
        self._show_resolved(identity, billing)  # no longer has to enrol
        return None


def _enrolment_of(call: Call) -> tuple[bool, str, str]:
    """Enrolled already; else the QR code (as a data: URI) and the secret of the enrolment under way."""
    user_id = call.identity.user_id
    if is_enrolled(call.db, user_id=user_id):
        return True, "", ""
    enrolment = current_enrolment(call.db, user_id=user_id, account_label=call.identity.email)
    return False, svg_data_uri(enrolment.qr_svg), enrolment.secret


def _enable(call: Call, code: str, token: str | None) -> tuple[list[str], Identity | None, tuple[str, str]]:
    """The recovery codes, and the session as it is now (no longer has to enrol) with its banner."""
    codes = enable_second_factor(call.db, user_id=call.identity.user_id, code=code)
    identity = resolve_session(token)
    return codes, identity, billing_notice(identity)
