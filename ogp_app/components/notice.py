"""Draws a :class:`~ogp_app.state.notice.Notice` (re-exported here for the pages that set one)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.text import both
from ogp_app.state.notice import NO_NOTICE, Notice, error_notice, notice

__all__ = ["NO_NOTICE", "Notice", "error_notice", "notice", "notice_view"]


def _callout(var: Any, *, icon: str, color: str, role: str) -> rx.Component:
    return rx.callout(
        both(var),
        icon=icon,
        color_scheme=color,
        role=role,
        high_contrast=True,
        width="100%",
    )


def notice_view(value: rx.Var[Notice] | Notice) -> rx.Component:
    """The message, announced to screen readers; nothing when there is none."""
    var: Any = value
    return rx.match(
        var.kind,
        ("error", _callout(var, icon="triangle_alert", color="red", role="alert")),
        ("ok", _callout(var, icon="circle_check", color="green", role="status")),
        rx.fragment(),
    )
