"""The view of /school/access-log (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import or_empty
from ogp_app.components.layout import page_column
from ogp_app.components.school_parts import access_page
from ogp_app.components.settings_forms import section
from ogp_app.components.text import t
from ogp_app.pages.school.access_log.state import SchoolAccessLogState
from ogp_app.pages.shared.access_lines import access_table
from ogp_app.state.base import AppState


def school_access_log_page() -> rx.Component:
    s = SchoolAccessLogState
    granted = page_column(
        "access_log.title",
        rx.text(AppState.school_name, size="4", color_scheme="gray"),
        section(
            "access_log.title",
            rx.text(t("access_log.intro"), size="2"),
            or_empty(s.entries, access_table(s.entries), "access_log.none", color_scheme="gray"),
            id="school-access-log",
        ),
    )
    return access_page(s.access, granted, title_key="access_log.title")
