"""The view of /verify, /sign-in, /confirm-email and /invitation (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import column
from ogp_app.components.forms import auth_column, auth_page, post_form, submit
from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.text import t
from ogp_app.models import Role
from ogp_app.pages.auth.link_pages.state import (
    ConfirmEmailState,
    InvitationState,
    SignInLinkState,
    VerifyState,
)
from ogp_app.state.auth_flow import AuthFlowState


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
    return auth_page(
        title_key,
        state,
        rx.cond(
            state.link_ok,
            column(
                body,
                post_form(
                    action,
                    rx.el.input(type="hidden", name="token", value=state.token),
                    submit(button_key, width="100%"),
                ),
            ),
            otherwise if otherwise is not None else _to_login(),
        ),
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
        column(
            rx.text(t("parent.invitation.expired_body")),
            post_form(
                "/api/auth/refresh-invitation",
                rx.el.input(type="hidden", name="token", value=InvitationState.refresh_token),
                submit("parent.invitation.refresh_button", width="100%"),
            ),
            _to_login(),
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
        page_frame(auth_column(page_title("confirm_email.title"), done)),
        form,
    )
