"""A short message after a button: saved, or what went wrong, in both languages (the page picks one).

Messages are rendered on the server (some carry values, such as minutes to wait) in both languages, so
switching the page language also switches a message already shown. ``ogp_app.components.notice`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ogp_app.i18n import translate
from ogp_app.services.errors import DomainError


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
