"""Pages behind the links in our e-mails: /verify, /invitation, /sign-in, /confirm-email.

The GET only looks at the token (``peek_token``) and shows a button; the button's POST consumes it,
so a mail scanner that opens the link cannot use it up.
"""

from __future__ import annotations

import reflex as rx

from ogp_app.models import TokenPurpose
from ogp_app.services.accounts import invitation_offer
from ogp_app.state.auth_flow import AuthFlowState


class VerifyState(AuthFlowState):
    @rx.event
    async def load(self) -> None:
        await self._load_link(TokenPurpose.VERIFY_EMAIL)


class SignInLinkState(AuthFlowState):
    @rx.event
    async def load(self) -> None:
        await self._load_link(TokenPurpose.SIGN_IN_LINK)


class ConfirmEmailState(AuthFlowState):
    done: bool = False

    @rx.event
    async def load(self) -> None:
        self.done = self._param("done") == "1"
        await self._load_link(TokenPurpose.EMAIL_CHANGE)


class InvitationState(AuthFlowState):
    invited_school: str = ""
    invited_role: str = ""  # a Role value, shown through the catalog
    refresh_token: str = ""  # the URL's unusable token, for "send me a new link" (its button POSTs it)

    @rx.event
    async def load(self) -> None:
        self.invited_school, self.invited_role = "", ""
        # The visitor is not signed in: the plain session reads the School row (the tenant itself).
        invited = await self._load_link_showing(
            TokenPurpose.INVITATION, lambda call, token: invitation_offer(call.db, token=token)
        )
        raw = self._param("token")
        self.refresh_token = raw if invited is None and 0 < len(raw) <= 128 else ""
        if invited is not None:
            self.invited_school, self.invited_role = invited
