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


def _chart_card(
    title_key: str,
    rows: Any,
    plot: Callable[..., rx.Component],
    series: Sequence[rx.Component],
    columns: Sequence[tuple[str, str]],
    *,
    x_key: str = "class",
    empty_key: str = "dashboard.none",
    help_key: str | None = None,
    **y_axis: Any,
) -> rx.Component:
    """One card: a chart of ``rows`` (``series`` on ``x_key``) and the same numbers as a table of
    ``columns`` (header key, row key), or the sentence saying there is nothing yet."""
    chart = plot(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        *series,
        rx.recharts.x_axis(data_key=x_key),
        rx.recharts.y_axis(**y_axis),
        *([rx.recharts.legend()] if len(series) > 1 else []),
        rx.recharts.graphing_tooltip(),
        data=rows,
        **_NOT_FOCUSABLE,
    )
    table = _numbers(
        title_key,
        [header for header, _key in columns],
        rows,
        lambda row: rx.el.tr(*(_cell(row[key]) for _header, key in columns)),
    )
    help_text = [rx.text(t(help_key), size="2", color_scheme="gray")] if help_key else []
    return section(
        title_key,
        *help_text,
        or_empty(rows, column(_chart(chart), table), empty_key),
        id=f"chart-{title_key.split('.')[1].removesuffix('_title')}",
    )


def _cards() -> list[rx.Component]:
    marks = (("held", _HELD), ("no_show", _NO_SHOW), ("moved", _MOVED), ("unmarked", _UNMARKED))
    return [
        _chart_card(
            "dashboard.bookings_title",
            S.bookings,
            rx.recharts.line_chart,
            [
                rx.recharts.line(
                    data_key="bookings",
                    stroke="var(--accent-9)",
                    stroke_width=2,
                    name=t("dashboard.bookings"),
                )
            ],
            [("dashboard.day", "day"), ("dashboard.bookings", "bookings")],
            x_key="day",
            allow_decimals=False,
        ),
        _chart_card(
            "dashboard.booked_title",
            S.booked,
            rx.recharts.bar_chart,
            [rx.recharts.bar(data_key="percent", fill="var(--accent-9)", name=t("dashboard.percent_booked"))],
            [
                ("dashboard.class", "class"),
                ("dashboard.booked", "booked"),
                ("dashboard.pupils", "pupils"),
                ("dashboard.percent_booked", "percent"),
            ],
            domain=[0, 100],
            unit="%",
        ),
        _chart_card(
            "dashboard.attendance_title",
            S.attendance,
            rx.recharts.bar_chart,
            [
                rx.recharts.bar(data_key=key, stack_id="a", fill=colour, name=t(f"dashboard.{key}"))
                for key, colour in marks
            ],
            [("dashboard.class", "class"), *((f"dashboard.{key}", key) for key, _colour in marks)],
            empty_key="dashboard.none_held",
            allow_decimals=False,
        ),
        _chart_card(
            "dashboard.unseen_title",
            S.unseen,
            rx.recharts.bar_chart,
            [rx.recharts.bar(data_key="families", fill=_NO_SHOW, name=t("dashboard.families"))],
            [("dashboard.class", "class"), ("dashboard.families", "families"), ("dashboard.who", "names")],
            help_key="dashboard.unseen_help",
            allow_decimals=False,
        ),
    ]


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
            *_cards(),
            columns={"initial": "1", "md": "2"},
            gap="1rem",
            width="100%",
        ),
    )
    return access_page(S.access, granted, title_key="dashboard.title")
