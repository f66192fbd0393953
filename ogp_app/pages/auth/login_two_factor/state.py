"""/login/two-factor: the second step of a log-in with an authenticator (POST /api/auth/two-factor)."""

from __future__ import annotations

import reflex as rx

from ogp_app.state.auth_flow import AuthFlowState


class TwoFactorPromptState(AuthFlowState):
    @rx.event
    def load(self) -> None:
        self._read_messages()
