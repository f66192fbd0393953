"""Catalog text inside components: both languages are compiled in, the page language picks one."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.i18n import catalog
from ogp_app.state.base import AppState


def by_lang(en: Any, nl: Any) -> Any:
    """``en`` on an English page, else ``nl`` (the two texts of one thing, both sent to the browser);
    typed as loosely as ``rx.cond``'s value, so a page may join it with more text."""
    return rx.cond(AppState.lang == "en", en, nl)


def both(value: Any) -> rx.Var:
    """The text of a two-language value (one with ``.en`` and ``.nl``) in the page's language."""
    return by_lang(value.en, value.nl)


def t(key: str) -> rx.Var:
    """The catalog text for ``key`` in the page's language (a KeyError here means a missing entry)."""
    return by_lang(catalog("en")[key], catalog("nl")[key])
