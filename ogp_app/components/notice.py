"""A short message after a button: saved, or what went wrong, in both languages (the page picks one).

Messages are rendered on the server (some carry values, such as minutes to wait) in both languages, so
switching the page language also switches a message already shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.i18n import translate
from ogp_app.services.errors import DomainError
from ogp_app.state.base import AppState


@dataclass(frozen=True)
class Notice:
    kind: str = ""  # "" (nothing to show), "ok" or "error"
    nl: str = ""
    en: str = ""


NO_NOTICE = Notice()


def notice(key: str, *, kind: str = "ok", **values: Any) -> Notice:
    return Notice(kind=kind, nl=translate(key, "nl", **values), en=translate(key, "en", **values))


def error_notice(error: DomainError) -> Notice:
    values: dict[str, Any] = dict(getattr(error, "message_values", {}) or {})
    return notice(error.message_key, kind="error", **values)


def _callout(var: Any, *, icon: str, color: str, role: str) -> rx.Component:
    return rx.callout(
        rx.cond(AppState.lang == "en", var.en, var.nl),
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
