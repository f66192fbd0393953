"""Plain building blocks many pages stack their content in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from ogp_app.components.text import t


def card_stack(
    *children: rx.Component, spacing: str = "3", stack: dict[str, Any] | None = None, **card: Any
) -> rx.Component:
    """A full-width card whose content is stacked full width; ``card`` names it (id, class_name)."""
    return rx.card(rx.vstack(*children, spacing=spacing, width="100%", **(stack or {})), width="100%", **card)


def data_table(header_keys: Sequence[str], rows: Any, render_row: Any, **root: Any) -> rx.Component:
    """A table with a head of catalog texts and one ``render_row(item)`` per item of ``rows``."""
    return rx.table.root(
        rx.table.header(rx.table.row(*(rx.table.column_header_cell(t(key)) for key in header_keys))),
        rx.table.body(rx.foreach(rows, render_row)),
        **root,
    )
