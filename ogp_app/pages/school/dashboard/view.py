"""The view of /school/dashboard (its state: state.py). Each chart is drawn in the browser from the
server's figures (Reflex's recharts, bundled: nothing from other hosts) and has its numbers beside it as a
table, which is what a screen reader reads (the chart itself is hidden from it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

from ogp_app.components.blocks import column, or_empty
from ogp_app.components.layout import page_column
from ogp_app.components.school_parts import access_page
from ogp_app.components.settings_forms import field, section, select_box
from ogp_app.components.text import t
from ogp_app.pages.school.dashboard.state import SchoolDashboardState as S

_HEIGHT = 240
# Recharts makes each chart a keyboard stop of its own; here the table beside it is what is read, so the
# (hidden) chart must not take focus.
_NOT_FOCUSABLE: dict[str, Any] = {"custom_attrs": {"accessibilityLayer": False}}
# Radix theme colours: readable in both the light page and print, distinct for the four attendance marks
_HELD, _NO_SHOW, _MOVED, _UNMARKED = "var(--grass-9)", "var(--red-9)", "var(--amber-9)", "var(--gray-8)"


def _chart(chart: rx.Component) -> rx.Component:
    """A chart that fills the card's width; hidden from screen readers (the table says the same)."""
    return rx.box(
        rx.recharts.responsive_container(chart, width="100%", height=_HEIGHT),
        aria_hidden="true",
        width="100%",
    )


def _cell(value: Any) -> rx.Component:
    return rx.el.td(value, padding="0.3rem 0.6rem", border_bottom="1px solid var(--gray-a5)")


def _numbers(
    title_key: str, header_keys: Sequence[str], rows: Any, render: Callable[[Any], rx.Component]
) -> rx.Component:
    """The chart's numbers as a plain table in a region that scrolls sideways on a narrow phone and can be
    reached (and scrolled) with the keyboard."""
    head = rx.el.tr(*(rx.el.th(t(key), text_align="left", padding="0.3rem 0.6rem") for key in header_keys))
    return rx.box(
        rx.el.table(
            rx.el.thead(head), rx.el.tbody(rx.foreach(rows, render)), font_size="0.9rem", width="100%"
        ),
        overflow_x="auto",
        width="100%",
        tab_index=0,
        role="region",
        aria_label=t(title_key),
    )


def _bookings() -> rx.Component:
    chart = rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.line(
            data_key="bookings", stroke="var(--accent-9)", stroke_width=2, name=t("dashboard.bookings")
        ),
        rx.recharts.x_axis(data_key="day"),
        rx.recharts.y_axis(allow_decimals=False),
        rx.recharts.graphing_tooltip(),
        data=S.bookings,
        **_NOT_FOCUSABLE,
    )
    table = _numbers(
        "dashboard.bookings_title",
        ("dashboard.day", "dashboard.bookings"),
        S.bookings,
        lambda row: rx.el.tr(_cell(row["day"]), _cell(row["bookings"])),
    )
    return section(
        "dashboard.bookings_title",
        or_empty(S.bookings, column(_chart(chart), table), "dashboard.none"),
        id="chart-bookings",
    )


def _booked() -> rx.Component:
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.bar(data_key="percent", fill="var(--accent-9)", name=t("dashboard.percent_booked")),
        rx.recharts.x_axis(data_key="class"),
        rx.recharts.y_axis(domain=[0, 100], unit="%"),
        rx.recharts.graphing_tooltip(),
        data=S.booked,
        **_NOT_FOCUSABLE,
    )
    table = _numbers(
        "dashboard.booked_title",
        ("dashboard.class", "dashboard.booked", "dashboard.pupils", "dashboard.percent_booked"),
        S.booked,
        lambda row: rx.el.tr(
            _cell(row["class"]), _cell(row["booked"]), _cell(row["pupils"]), _cell(row["percent"])
        ),
    )
    return section(
        "dashboard.booked_title",
        or_empty(S.booked, column(_chart(chart), table), "dashboard.none"),
        id="chart-booked",
    )


def _attendance() -> rx.Component:
    marks = (("held", _HELD), ("no_show", _NO_SHOW), ("moved", _MOVED), ("unmarked", _UNMARKED))
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        *(
            rx.recharts.bar(data_key=key, stack_id="a", fill=colour, name=t(f"dashboard.{key}"))
            for key, colour in marks
        ),
        rx.recharts.x_axis(data_key="class"),
        rx.recharts.y_axis(allow_decimals=False),
        rx.recharts.legend(),
        rx.recharts.graphing_tooltip(),
        data=S.attendance,
        **_NOT_FOCUSABLE,
    )
    table = _numbers(
        "dashboard.attendance_title",
        ("dashboard.class", "dashboard.held", "dashboard.no_show", "dashboard.moved", "dashboard.unmarked"),
        S.attendance,
        lambda row: rx.el.tr(_cell(row["class"]), *(_cell(row[key]) for key, _colour in marks)),
    )
    return section(
        "dashboard.attendance_title",
        or_empty(S.attendance, column(_chart(chart), table), "dashboard.none_held"),
        id="chart-attendance",
    )


def _unseen() -> rx.Component:
    chart = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.bar(data_key="families", fill=_NO_SHOW, name=t("dashboard.families")),
        rx.recharts.x_axis(data_key="class"),
        rx.recharts.y_axis(allow_decimals=False),
        rx.recharts.graphing_tooltip(),
        data=S.unseen,
        **_NOT_FOCUSABLE,
    )
    table = _numbers(
        "dashboard.unseen_title",
        ("dashboard.class", "dashboard.families", "dashboard.who"),
        S.unseen,
        lambda row: rx.el.tr(_cell(row["class"]), _cell(row["families"]), _cell(row["names"])),
    )
    return section(
        "dashboard.unseen_title",
        rx.text(t("dashboard.unseen_help"), size="2", color_scheme="gray"),
        or_empty(S.unseen, column(_chart(chart), table), "dashboard.none"),
        id="chart-unseen",
    )


def _round_choice() -> rx.Component:
    return field(
        "dashboard.round",
        "dashboard_round",
        select_box(
            "dashboard_round",
            rx.foreach(S.round_options, lambda o: rx.el.option(o.name, value=o.key)),
            value=S.chosen,
            on_change=S.choose_round,
        ),
    )


def school_dashboard_page() -> rx.Component:
    granted = page_column(
        "dashboard.title",
        rx.cond(S.round_options.length() > 0, _round_choice()),  # type: ignore[attr-defined]
        rx.grid(
            _bookings(),
            _booked(),
            _attendance(),
            _unseen(),
            columns={"initial": "1", "md": "2"},
            gap="1rem",
            width="100%",
        ),
    )
    return access_page(S.access, granted, title_key="dashboard.title")
