"""The view of /staff/stats (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import data_table, scroll_table
from ogp_app.components.settings_forms import section
from ogp_app.components.staff import staff_frame
from ogp_app.components.text import t
from ogp_app.pages.staff.stats.state import CHART_HEIGHT, Bar, StaffStatsState


def _bar(row: rx.Var[Bar]) -> rx.Component:
    b: Any = row
    return rx.el.li(
        rx.box(
            background_color="var(--accent-9)",
            height=b.height,
            width="100%",
            border_radius="2px 2px 0 0",
        ),
        title=b.label + ": " + b.views.to_string(),
        display="flex",
        flex_direction="column",
        justify_content="flex-end",
        flex="1 1 0",
        min_width="0",
        height=f"{CHART_HEIGHT}px",
        list_style="none",
    )


def _chart() -> rx.Component:
    return rx.vstack(
        rx.el.ul(
            rx.foreach(StaffStatsState.bars, _bar),
            display="flex",
            align_items="flex-end",
            gap="2px",
            width="100%",
            margin="0",
            padding="0",
            border_bottom="1px solid var(--gray-a8)",
            aria_hidden="true",
        ),
        rx.flex(
            rx.text(StaffStatsState.bars[0].label, size="1"),
            rx.text(StaffStatsState.bars[-1].label, size="1"),
            justify="between",
            width="100%",
        ),
        width="100%",
        spacing="1",
        role="img",
        aria_label=t("staff.stats.chart_label"),
        id="visits-chart",
    )


def _day_table() -> rx.Component:
    return rx.box(
        data_table(
            ["staff.stats.day", "staff.stats.views", "staff.stats.unique"],
            StaffStatsState.newest_first,
            lambda b: rx.table.row(
                rx.table.row_header_cell(b.label),
                rx.table.cell(b.views),
                rx.table.cell(b.unique),
            ),
            size="1",
            width="100%",
        ),
        max_height="320px",
        overflow_y="auto",
        width="100%",
        tab_index=0,  # a scrolling region must be reachable by keyboard
        role="region",
        aria_label=t("staff.stats.days"),
    )


def _paths() -> rx.Component:
    return scroll_table(
        ["staff.stats.path", "staff.stats.views", "staff.stats.unique"],
        StaffStatsState.paths,
        lambda p: rx.table.row(
            rx.table.row_header_cell(rx.code(p.path)),
            rx.table.cell(p.views),
            rx.table.cell(p.unique),
        ),
        id="top-paths",
    )


def staff_stats_page() -> rx.Component:
    return staff_frame(
        "staff.stats.title",
        rx.text(t("staff.stats.intro")),
        section(
            "staff.stats.days",
            rx.flex(
                rx.text(
                    t("staff.stats.views"), ": ", rx.el.strong(StaffStatsState.total_views, id="total-views")
                ),
                rx.text(t("staff.stats.unique"), ": ", rx.el.strong(StaffStatsState.total_unique)),
                gap="1rem",
                wrap="wrap",
            ),
            rx.cond(StaffStatsState.total_views > 0, _chart(), rx.text(t("staff.stats.empty"))),
            _day_table(),
        ),
        section("staff.stats.path", _paths()),
    )
