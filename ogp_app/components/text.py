"""Catalog text inside components: both languages are compiled in, the page language picks one."""

from __future__ import annotations

import reflex as rx

from ogp_app.i18n import catalog
from ogp_app.state.base import AppState


def t(key: str) -> rx.Var:
    """The catalog text for ``key`` in the page's language (a KeyError here means a missing entry)."""
    return rx.cond(AppState.lang == "en", catalog("en")[key], catalog("nl")[key])
