"""The components of /school/round: settings, slot grid, booking on a family's behalf, progress."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import column, data_table
from ogp_app.components.layout import page_frame
from ogp_app.components.settings_forms import form_stack, section, select_box
from ogp_app.components.text import both, t
from ogp_app.pages.school.not_booked import not_booked_list
from ogp_app.pages.school.round.online import online_panel
from ogp_app.pages.school.round.schedule_view import (
    _button,
    _notice,
    _teacher_section,
    _window,
)
from ogp_app.pages.school.round.state import SchoolRoundState as S


def _booking() -> rx.Component:
    return section(
        "round.booking.title",
        rx.cond(
            S.moving != "",
            rx.hstack(
                rx.text(t("round.moving"), " ", S.moving, weight="bold"),
                _button("round.move.stop", on_click=S.stop_move, variant="outline"),
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                S.chosen_label.nl != "",
                form_stack(
                    rx.text(
                        t("round.booking.at"),
                        " ",
                        S.teacher_name,
                        ", ",
                        both(S.chosen_label),
                        weight="bold",
                    ),
                    rx.el.label(t("round.booking.pupil"), html_for="pupil", font_weight="500"),
                    select_box("pupil", rx.foreach(S.pupils, lambda o: rx.el.option(o.label, value=o.key))),
                    _button("round.booking.submit", type="submit", size="3"),
                    on_submit=S.book_for_family,
                    spacing="2",
                ),
                rx.text(t("round.booking.hint")),
            ),
        ),
        _notice("booking"),
        id="round-booking",
    )


def _progress() -> rx.Component:
    return section(
        "round.progress.title",
        data_table(
            ["round.progress.class", "round.progress.booked", "round.progress.missing"],
            S.progress,
            lambda p: rx.table.row(
                rx.table.row_header_cell(p.class_name),
                rx.table.cell(p.booked, " / ", p.pupils),
                rx.table.cell(p.missing),
            ),
            width="100%",
        ),
        _button("rounds.remind", on_click=S.remind, variant="soft", size="3"),
        _notice("progress"),
        rx.heading(t("households.not_booked.title"), as_="h3", size="4"),
        not_booked_list(S.not_booked, S.remind_class),
        id="round-progress",
    )


def school_round_page() -> rx.Component:
    return page_frame(
        column(
            rx.link(t("round.back"), href="/school/rounds"),
            rx.heading(rx.cond(S.round_name != "", S.round_name, t("round.title")), as_="h1", size="7"),
            rx.match(
                S.access,
                ("denied", rx.text(t("rounds.no_access"))),
                ("missing", rx.text(t("rounds.error.round_not_found"))),
                (
                    "granted",
                    column(_booking(), _teacher_section(), _progress(), _window(), online_panel()),
                ),
                rx.fragment(),
            ),
        )
    )
