"""/school/roster/import: the preview step (counts, issues, first rows) and the done step."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import callout_stack, job_progress
from ogp_app.components.settings_forms import link_button, section
from ogp_app.components.text import both, by_lang, t
from ogp_app.models.roster import MEETING_MODES
from ogp_app.pages.school.roster_import.state import CountRow, IssueView, RosterImportState

S = RosterImportState


DOT, OPEN, CLOSE = " · ", " (", ")"  # separators, not words: nothing to translate


_CELL = {"padding": "0.35rem 0.6rem", "borderBottom": "1px solid var(--gray-a5)", "textAlign": "left"}


_COUNT_CELL = {**_CELL, "padding": "0.35rem 0.3rem", "overflowWrap": "break-word", "verticalAlign": "bottom"}


def _count_row(row: rx.Var[CountRow]) -> rx.Component:
    r: Any = row
    return rx.el.tr(
        rx.el.th(
            rx.match(
                r.kind,
                ("classes", t("roster.kind.classes")),
                ("pupils", t("roster.kind.pupils")),
                ("guardians", t("roster.kind.guardians")),
                t("roster.kind.teachers"),
            ),
            scope="row",
            style=_COUNT_CELL,
        ),
        rx.el.td(r.new, style=_COUNT_CELL),
        rx.el.td(r.changed, style=_COUNT_CELL),
        rx.el.td(r.gone, style=_COUNT_CELL),
    )


def _counts_table(archive_key: str) -> rx.Component:
    """A plain table whose headings wrap, so it fits a phone without scrolling."""
    return rx.el.table(
        rx.el.colgroup(
            rx.el.col(style={"width": "40%"}),
            *[rx.el.col(style={"width": "20%"}) for _ in range(3)],
        ),
        rx.el.thead(
            rx.el.tr(
                rx.el.th(t("roster.page.kind"), scope="col", style=_COUNT_CELL),
                rx.el.th(t("roster.page.create"), scope="col", style=_COUNT_CELL),
                rx.el.th(t("roster.page.update"), scope="col", style=_COUNT_CELL),
                rx.el.th(t(archive_key), scope="col", style=_COUNT_CELL),
            )
        ),
        rx.el.tbody(rx.foreach(S.counts, _count_row)),
        style={"borderCollapse": "collapse", "width": "100%", "fontSize": "0.85rem", "tableLayout": "fixed"},
        id="roster-counts",
    )


def _issue(issue: rx.Var[IssueView]) -> rx.Component:
    i: Any = issue
    return rx.el.li(
        rx.text(
            rx.text.strong(
                t("roster.page.row"),
                " ",
                i.row,
                DOT,
                by_lang(i.field_en, i.field_nl),
            ),
            ": ",
            both(i),
            size="2",
        ),
        class_name="roster-issue",
    )


def _preview_table() -> rx.Component:
    """A plain table in one focusable scroll box (keyboard users can scroll it sideways)."""
    return rx.box(
        rx.el.table(
            rx.el.thead(
                rx.el.tr(rx.foreach(S.preview_headers, lambda h: rx.el.th(h, scope="col", style=_CELL)))
            ),
            rx.el.tbody(
                rx.foreach(
                    S.preview_rows,
                    lambda row: rx.el.tr(rx.foreach(row, lambda cell: rx.el.td(cell, style=_CELL))),
                )
            ),
            style={"borderCollapse": "collapse", "fontSize": "0.85rem", "whiteSpace": "nowrap"},
        ),
        overflow_x="auto",
        width="100%",
        tab_index=0,
        aria_label=t("roster.page.first_rows"),
        role="region",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-2)",
    )


def _separated_choice() -> rx.Component:
    """How pupils whose parents live apart are met: one conversation per household, or one together."""
    return rx.card(
        rx.vstack(
            rx.text(t("households.import.separated"), " ", S.separated, weight="bold", id="separated-count"),
            rx.text(t("households.import.separated_help"), size="2"),
            rx.radio_group.root(
                rx.vstack(
                    *(
                        rx.el.label(
                            rx.hstack(
                                rx.radio_group.item(value=mode),
                                rx.text(t(f"households.mode.{mode}")),
                                spacing="2",
                                align="center",
                            )
                        )
                        for mode in MEETING_MODES
                    ),
                    spacing="2",
                ),
                value=S.separated_mode,
                on_change=S.set_separated_mode,
                name="separated_mode",
                high_contrast=True,
            ),
            spacing="2",
        ),
        width="100%",
        id="separated-choice",
    )


def _preview_step() -> rx.Component:
    return section(
        "roster.page.preview_title",
        rx.text(
            t("roster.page.rows"),
            " ",
            S.total_rows,
            DOT,
            t("roster.page.valid_rows"),
            " ",
            S.valid_rows,
            size="2",
        ),
        _counts_table("roster.page.leavers"),
        rx.cond(
            S.issue_count > 0,
            callout_stack(
                rx.text(t("roster.page.has_errors"), OPEN, S.issue_count, CLOSE, weight="bold"),
                rx.el.ul(rx.foreach(S.issues, _issue), style={"margin": "0", "paddingLeft": "1.2rem"}),
                icon="triangle_alert",
                color="red",
                width="100%",
                id="roster-issues",
            ),
            rx.callout(
                t("roster.page.no_errors"), icon="circle_check", color_scheme="green", high_contrast=True
            ),
        ),
        rx.cond(S.separated > 0, _separated_choice()),
        rx.heading(t("roster.page.first_rows"), as_="h3", size="3"),
        _preview_table(),
        rx.el.label(
            rx.hstack(
                rx.switch(
                    checked=S.archive_missing,
                    on_change=S.set_archive_missing,
                    id="archive-missing",
                    high_contrast=True,
                ),
                rx.text(t("roster.page.archive_missing")),
                spacing="2",
                align="center",
            ),
        ),
        rx.cond(
            (S.issue_count > 0) & (S.valid_rows > 0),  # with no valid row there is nothing to import
            rx.el.label(
                rx.hstack(
                    rx.switch(
                        checked=S.only_valid_rows,
                        on_change=S.set_only_valid_rows,
                        id="only-valid-rows",
                        high_contrast=True,
                    ),
                    rx.text(t("roster.page.only_valid_rows")),
                    rx.badge(S.valid_rows, high_contrast=True, id="valid-row-count"),
                    spacing="2",
                    align="center",
                ),
            ),
        ),
        job_progress(S.importing, S.progress, "roster.page.importing"),
        rx.flex(
            rx.button(
                t("roster.page.import"),
                on_click=S.start_import,
                disabled=S.importing | ((S.issue_count > 0) & (~S.only_valid_rows | (S.valid_rows == 0))),
                loading=S.importing,
                high_contrast=True,
                size="3",
                id="start-import",
            ),
            rx.button(t("roster.page.back"), on_click=S.back_to_mapping, variant="outline", size="3"),
            spacing="2",
            wrap="wrap",
        ),
        id="roster-preview",
    )


def _done_step() -> rx.Component:
    return section(
        "roster.page.done_title",
        rx.callout(
            t("roster.page.done"),
            icon="circle_check",
            color_scheme="green",
            high_contrast=True,
            role="status",
        ),
        _counts_table("roster.page.archived"),
        rx.flex(
            link_button("roster.page.to_invitations", "/school/roster/invitations"),
            rx.button(t("roster.page.another"), on_click=S.start_over, variant="outline", size="3"),
            spacing="2",
            wrap="wrap",
        ),
        id="roster-done",
    )
