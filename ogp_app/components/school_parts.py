"""Pieces several school pages show: "no access" for those who may not see a page, the frame that picks
between the page and that refusal, and the status of a person's invitation."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t


def no_access_callout(prefix: str = "school") -> rx.Component:
    """The refusal: ``{prefix}.no_access.title`` and ``.body`` say who may see the page."""
    return rx.callout(
        rx.vstack(
            rx.text(t(f"{prefix}.no_access.title"), weight="bold"),
            rx.text(t(f"{prefix}.no_access.body")),
            spacing="1",
        ),
        icon="lock",
        color_scheme="red",
        high_contrast=True,
        role="alert",
        id="no-access",
    )


def no_access(title_key: str, prefix: str = "school") -> rx.Component:
    """The page's title over the refusal."""
    return rx.vstack(
        rx.heading(t(title_key), as_="h1", size="7"),
        no_access_callout(prefix),
        spacing="4",
        width="100%",
    )


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
