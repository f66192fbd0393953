"""Pieces several school pages show: "no access" for those who may not see a page (the back office's
refusal too), the frame that picks between the page and that refusal, the invite form's fields, and a
colleague's role and invitation."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import callout_stack
from ogp_app.components.forms import submit
from ogp_app.components.layout import page_column, page_frame
from ogp_app.components.settings_forms import field, form_stack, input_field, select_box
from ogp_app.components.text import t


def no_access_callout(prefix: str = "school") -> rx.Component:
    """The refusal: ``{prefix}.no_access.title`` and ``.body`` say who may see the page."""
    return callout_stack(
        rx.text(t(f"{prefix}.no_access.title"), weight="bold"),
        rx.text(t(f"{prefix}.no_access.body")),
        icon="lock",
        color="red",
        role="alert",
        id="no-access",
    )


def no_access(title_key: str, prefix: str = "school") -> rx.Component:
    """The page's title over the refusal."""
    return page_column(title_key, no_access_callout(prefix))


def access_page(
    access: Any,
    granted: rx.Component,
    *,
    title_key: str,
    prefix: str = "school",
    waiting: rx.Component | None = None,
) -> rx.Component:
    """A page whose state's ``access`` is "granted" or "denied" ("" while it loads: ``waiting``)."""
    return page_frame(
        rx.match(
            access,
            ("granted", granted),
            ("denied", no_access(title_key, prefix)),
            waiting if waiting is not None else rx.fragment(),
        )
    )


def invitation_badge(status: Any) -> rx.Component:
    """Where a person's invitation stands: accepted, pending, expired or not invited."""
    return rx.badge(
        rx.match(
            status,
            ("accepted", t("accounts.invitation.accepted")),
            ("pending", t("accounts.invitation.pending")),
            ("expired", t("accounts.invitation.expired")),
            t("accounts.invitation.not_invited"),
        ),
        color_scheme=rx.match(status, ("accepted", "green"), ("pending", "amber"), "gray"),
        size="2",
        high_contrast=True,
    )


def role_badge(role: Any) -> rx.Component:
    """A colleague's role at the school: school admin or teacher."""
    return rx.badge(
        rx.match(role, ("school_admin", t("app.role.school_admin")), t("app.role.teacher")),
        variant="outline",
        size="2",
        high_contrast=True,
    )


def invite_form(on_submit: Any, **form: Any) -> rx.Component:
    """The form inviting a colleague (the settings page and the onboarding wizard): name, e-mail address
    and role, as ``state.invite_form`` reads them; emptied once sent. ``form`` goes to form_stack."""
    return form_stack(
        *_invite_fields(), submit("school.invite.submit"), on_submit=on_submit, reset_on_submit=True, **form
    )


def _invite_fields() -> list[rx.Component]:
    """Not the admin's own name and address: the browser fills in nothing."""
    return [
        input_field("school.invite.name", "invite_name", required=True, max_length=200, auto_complete="off"),
        input_field(
            "school.invite.email",
            "invite_email",
            type="email",
            required=True,
            max_length=254,
            auto_complete="off",
        ),
        field(
            "school.invite.role",
            "invite_role",
            select_box(
                "invite_role",
                *(rx.el.option(t(f"app.role.{role}"), value=role) for role in ("teacher", "school_admin")),
                default_value="teacher",
            ),
        ),
    ]
