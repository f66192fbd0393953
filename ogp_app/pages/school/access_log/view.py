"""The view of /school/access-log (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.school_parts import access_page
from ogp_app.components.settings_forms import section
from ogp_app.components.staff import SEP
from ogp_app.components.text import t
from ogp_app.pages.school.access_log.state import SchoolAccessLogState
from ogp_app.state.base import AppState

LABEL = {"fontWeight": "500"}


def access_table(rows: Any, with_school: bool = False) -> rx.Component:
    """Newest first, one entry per item: when and who, what, and why (wraps on a phone, no sideways
    scrolling)."""

    def entry(line: Any) -> rx.Component:
        head: list[Any] = [line.at, SEP, line.staff]
        if with_school:
            head += [SEP, line.school]
        return rx.el.li(
            rx.text(*head, weight="bold", size="2"),
            rx.text(
                rx.el.span(t("access_log.col.what"), ": ", style=LABEL),
                rx.cond(AppState.lang == "en", line.what_en, line.what_nl),
                size="2",
            ),
            rx.text(
                rx.el.span(t("access_log.col.why"), ": "), line.reason, size="2", word_break="break-word"
            ),
            padding_y="0.5rem",
            border_bottom="1px solid var(--gray-a4)",
            class_name="access-entry",
        )

    return rx.el.ul(
        rx.foreach(rows, entry),
        style={"listStyle": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def school_access_log_page() -> rx.Component:
    s = SchoolAccessLogState
    granted = rx.vstack(
        rx.heading(t("access_log.title"), as_="h1", size="7"),
        rx.text(AppState.school_name, size="4", color_scheme="gray"),
        section(
            "access_log.title",
            rx.text(t("access_log.intro"), size="2"),
            rx.cond(
                s.entries.length() > 0,  # type: ignore[attr-defined]
                access_table(s.entries),
                rx.text(t("access_log.none"), color_scheme="gray"),
            ),
            id="school-access-log",
        ),
        spacing="4",
        width="100%",
    )
    return access_page(s.access, granted, title_key="access_log.title")
