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


def scroll_table(
    header_keys: Sequence[str], rows: Any, render_row: Any, box: dict[str, Any] | None = None, **table: Any
) -> rx.Component:
    """A full-width ``data_table`` in a box that scrolls sideways on a phone (``box`` styles the box)."""
    return rx.box(
        data_table(header_keys, rows, render_row, width="100%", **table),
        overflow_x="auto",
        width="100%",
        **(box or {}),
    )


def callout_stack(
    *lines: rx.Component, icon: str, color: str, spacing: str = "1", **props: Any
) -> rx.Component:
    """A high-contrast callout holding a few lines (a bold one first, then what to do about it)."""
    return rx.callout(
        rx.vstack(*lines, spacing=spacing), icon=icon, color_scheme=color, high_contrast=True, **props
    )


def card_list(rows: Any, render_card: Any, **props: Any) -> rx.Component:
    """Cards one under the other, full width, one ``render_card(item)`` per item of ``rows``."""
    return rx.vstack(rx.foreach(rows, render_card), spacing="3", width="100%", **props)


def job_progress(running: Any, percent: Any, label_key: str) -> rx.Component:
    """A long job's progress bar, shown while ``running``; ``label_key`` names it for screen readers."""
    return rx.cond(running, rx.progress(value=percent, max=100, width="100%", aria_label=t(label_key)))


# A list without bullets or indent: its rows draw their own lines.
BARE_LIST: dict[str, str] = {"listStyle": "none", "padding": "0", "margin": "0", "width": "100%"}


def bare_list(rows: Any, render_row: Any, **props: Any) -> rx.Component:
    """A full-width list without bullets, one ``render_row(item)`` per item of ``rows``."""
    return rx.el.ul(rx.foreach(rows, render_row), style=BARE_LIST, **props)


def or_empty(rows: Any, shown: rx.Component, empty_key: str, **empty: Any) -> rx.Component:
    """``shown`` while ``rows`` holds anything, else the catalog sentence ``empty_key`` saying it is empty."""
    return rx.cond(rows.length() > 0, shown, rx.text(t(empty_key), **empty))


def email_text(address: Any) -> rx.Component:
    """An e-mail address under a person's name: small, grey, broken anywhere on a narrow phone."""
    return rx.text(address, size="2", color_scheme="gray", word_break="break-all")


def person_line(
    name: rx.Component, address: Any, badges: rx.Component, action: rx.Component, *, class_name: str
) -> rx.Component:
    """One person of a bare list: name, e-mail address and badges, with one button at the right."""
    return rx.el.li(
        rx.flex(
            rx.vstack(name, email_text(address), badges, spacing="1", min_width="0"),
            action,
            justify="between",
            align="center",
            gap="3",
            wrap="wrap",
        ),
        padding_y="0.6rem",
        border_bottom="1px solid var(--gray-a4)",
        class_name=class_name,
    )


def column(*blocks: rx.Component) -> rx.Component:
    """Blocks one under the other, full width, with the pages' usual room between them."""
    return rx.vstack(*blocks, spacing="4", width="100%")


def two_columns(*columns: rx.Component) -> rx.Component:
    """Two top-aligned columns from 768 px; on a phone the second comes under the first."""
    return rx.grid(*columns, columns={"initial": "1", "md": "2"}, gap="1rem", width="100%", align="start")
