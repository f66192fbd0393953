"""Pages behind the links in our e-mails: /verify, /invitation, /sign-in, /confirm-email.

The GET only looks at the token (``peek_token``) and shows a button; the button's POST consumes it,
so a mail scanner that opens the link cannot use it up.
"""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import auth_column, messages, post_form, submit
from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.core.db import unscoped
from ogp_app.models import Role, School, TokenPurpose
from ogp_app.state.auth_flow import AuthFlowState


class VerifyState(AuthFlowState):
    @rx.event
    def load(self) -> None:
        self._load_link(TokenPurpose.VERIFY_EMAIL)


class SignInLinkState(AuthFlowState):
    @rx.event
    def load(self) -> None:
        self._load_link(TokenPurpose.SIGN_IN_LINK)


class ConfirmEmailState(AuthFlowState):
    done: bool = False

    @rx.event
    def load(self) -> None:
        self.done = self._param("done") == "1"
        self._load_link(TokenPurpose.EMAIL_CHANGE)


class InvitationState(AuthFlowState):
    invited_school: str = ""
    invited_role: str = ""  # a Role value, shown through the catalog
    refresh_token: str = ""  # the URL's unusable token, for "send me a new link" (its button POSTs it)

    @rx.event
    def load(self) -> None:
        self.invited_school, self.invited_role = "", ""
        token = self._load_link(TokenPurpose.INVITATION)
        raw = self._param("token")
        self.refresh_token = raw if token is None and 0 < len(raw) <= 128 else ""
        if token is None or token.school_id is None:
            return
        with unscoped() as db:  # the visitor is not signed in: no school scope yet
            school = db.get(School, token.school_id)
        self.invited_school = school.name if school else ""
        self.invited_role = token.role if token.role in {r.value for r in Role} else ""


def _to_login() -> rx.Component:
    return rx.link(t("auth.to_login"), href="/login")


def _link_page(
    state: type[AuthFlowState],
    title_key: str,
    body: rx.Component,
    action: str,
    button_key: str,
    otherwise: rx.Component | None = None,
) -> rx.Component:
    return page_frame(
        auth_column(
            rx.heading(t(title_key), as_="h1", size="7"),
            messages(state.error_text, state.notice_text),
            rx.cond(
                state.link_ok,
                rx.vstack(
                    body,
                    post_form(
                        action,
                        rx.el.input(type="hidden", name="token", value=state.token),
                        submit(button_key, width="100%"),
                    ),
                    spacing="4",
                    width="100%",
                ),
                otherwise if otherwise is not None else _to_login(),
            ),
        )
    )


def verify_page() -> rx.Component:
    return _link_page(
        VerifyState, "verify.title", rx.text(t("verify.body")), "/api/auth/verify-email", "verify.button"
    )


def sign_in_link_page() -> rx.Component:
    return _link_page(
        SignInLinkState, "signin.title", rx.text(t("signin.body")), "/api/auth/sign-in", "signin.button"
    )


def _role_name(role: rx.Var[str] | str) -> rx.Component:
    return rx.match(
        role,
        (Role.SCHOOL_ADMIN.value, t("app.role.school_admin")),
        (Role.TEACHER.value, t("app.role.teacher")),
        (Role.PARENT.value, t("app.role.parent")),
        "",
    )


def invitation_page() -> rx.Component:
    body = rx.vstack(
        rx.text(t("invitation.body")),
        rx.data_list.root(
            rx.data_list.item(
                rx.data_list.label(t("invitation.school")),
                rx.data_list.value(InvitationState.invited_school),
            ),
            rx.data_list.item(
                rx.data_list.label(t("invitation.role")),
                rx.data_list.value(_role_name(InvitationState.invited_role)),
            ),
        ),
        rx.link(t("consent.by_continuing"), href="/privacy", size="2"),
        spacing="3",
        width="100%",
    )
    # An expired or replaced link: one click mails a fresh one to the address the invitation went to.
    refresh = rx.cond(
        InvitationState.refresh_token != "",
        rx.vstack(
            rx.text(t("parent.invitation.expired_body")),
            post_form(
                "/api/auth/refresh-invitation",
                rx.el.input(type="hidden", name="token", value=InvitationState.refresh_token),
                submit("parent.invitation.refresh_button", width="100%"),
            ),
            _to_login(),
            spacing="4",
            width="100%",
        ),
        _to_login(),
    )
    return _link_page(
        InvitationState,
        "invitation.title",
        body,
        "/api/auth/accept-invitation",
        "invitation.button",
        otherwise=refresh,
    )


def confirm_email_page() -> rx.Component:
    done = rx.vstack(
        rx.callout(
            t("confirm_email.done"), icon="circle_check", role="status", width="100%", high_contrast=True
        ),
        rx.link(t("confirm_email.to_app"), href="/app"),
        spacing="3",
        width="100%",
    )
    form = _link_page(
        ConfirmEmailState,
        "confirm_email.title",
        rx.text(t("confirm_email.body")),
        "/api/auth/confirm-email",
        "confirm_email.button",
    )
    return rx.cond(
        ConfirmEmailState.done,
        page_frame(auth_column(rx.heading(t("confirm_email.title"), as_="h1", size="7"), done)),
        form,
    )
