"""/school/roster/import: upload a CSV/XLSX export, map its columns, preview, import, see the summary."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import link_button, section
from ogp_app.components.text import t
from ogp_app.models.roster import MEETING_MODES
from ogp_app.pages.roster_import_state import ColumnView, CountRow, IssueView, RosterImportState
from ogp_app.services.roster_import import FIELDS
from ogp_app.state.base import AppState

S = RosterImportState
DOT, OPEN, CLOSE = " · ", " (", ")"  # separators, not words: nothing to translate
UPLOAD_ID = "roster_file"
_CELL = {"padding": "0.35rem 0.6rem", "borderBottom": "1px solid var(--gray-a5)", "textAlign": "left"}
_COUNT_CELL = {**_CELL, "padding": "0.35rem 0.3rem", "overflowWrap": "break-word", "verticalAlign": "bottom"}
_ACCEPT = {
    "text/csv": [".csv", ".txt"],
    "text/plain": [".csv", ".txt"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
}


def _upload_step() -> rx.Component:
    return section(
        "roster.page.upload_title",
        rx.text(t("roster.page.upload_help"), size="2", color_scheme="gray"),
        rx.el.label(  # names the dropzone's file input for screen readers
            rx.upload(
                rx.vstack(
                    rx.icon("file_up", size=28, aria_hidden="true"),
                    rx.text(t("roster.page.drop")),
                    rx.button(t("roster.page.choose"), type="button", variant="outline", high_contrast=True),
                    align="center",
                    spacing="2",
                ),
                id=UPLOAD_ID,
                multiple=False,
                max_files=1,
                accept=_ACCEPT,
                border="2px dashed var(--gray-a8)",
                border_radius="var(--radius-3)",
                padding="1.5rem",
                width="100%",
            ),
            width="100%",
        ),
        rx.foreach(
            rx.selected_files(UPLOAD_ID), lambda name: rx.text(name, weight="medium", id="chosen-file")
        ),
        rx.button(
            t("roster.page.read_file"),
            on_click=S.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),  # type: ignore[operator]
            high_contrast=True,
            size="3",
            id="read-file",
        ),
        id="roster-upload",
    )


def _field_option(field: str) -> rx.Component:
    return rx.el.option(t(f"roster.field.{field}"), value=field)


def _column(column: rx.Var[ColumnView]) -> rx.Component:
    c: Any = column
    select_id = "column-" + c.key
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.el.label(c.header, html_for=select_id, font_weight="600"),
                rx.text(c.sample, size="1", color_scheme="gray", word_break="break-all"),
                spacing="0",
                min_width="0",
                flex="1 1 12rem",
            ),
            rx.el.select(
                _field_option_none(),
                *[_field_option(f) for f in FIELDS],
                id=select_id,
                value=c.field,
                on_change=lambda value: S.set_column(c.key, value),  # type: ignore[operator]
                min_height="40px",
                padding_x="0.5rem",
                font_size="1rem",
                color="var(--gray-12)",
                background_color="var(--color-surface)",
                border="1px solid var(--gray-a8)",
                border_radius="var(--radius-2)",
                flex="1 1 14rem",
                max_width="100%",
            ),
            spacing="2",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-a4)",
        class_name="roster-column",
    )


def _field_option_none() -> rx.Component:
    return rx.el.option(t("roster.field.none"), value="")


def _map_step() -> rx.Component:
    return section(
        "roster.page.map_title",
        rx.text(t("roster.page.map_help"), size="2", color_scheme="gray"),
        rx.text(t("roster.page.file"), " ", rx.code(S.file_name), size="2"),
        rx.el.ul(
            rx.foreach(S.columns, _column),
            style={"listStyle": "none", "padding": "0", "margin": "0", "width": "100%"},
        ),
        rx.flex(
            rx.button(t("roster.page.preview"), on_click=S.show_preview, high_contrast=True, size="3"),
            rx.button(t("roster.page.save_mapping"), on_click=S.store_mapping, variant="outline", size="3"),
            rx.button(t("roster.page.start_over"), on_click=S.start_over, variant="ghost", size="3"),
            spacing="2",
            wrap="wrap",
        ),
        id="roster-mapping",
    )


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
                rx.cond(AppState.lang == "en", i.field_en, i.field_nl),
            ),
            ": ",
            rx.cond(AppState.lang == "en", i.en, i.nl),
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
            rx.callout(
                rx.vstack(
                    rx.text(t("roster.page.has_errors"), OPEN, S.issue_count, CLOSE, weight="bold"),
                    rx.el.ul(rx.foreach(S.issues, _issue), style={"margin": "0", "paddingLeft": "1.2rem"}),
                    spacing="1",
                ),
                icon="triangle_alert",
                color_scheme="red",
                high_contrast=True,
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
        rx.cond(
            S.importing,
            rx.progress(value=S.progress, max=100, width="100%", aria_label=t("roster.page.importing")),
        ),
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


def _denied() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(t("school.no_access.title"), weight="bold"),
            rx.text(t("school.no_access.body")),
            spacing="1",
        ),
        icon="lock",
        color_scheme="red",
        high_contrast=True,
        role="alert",
        id="no-access",
    )


def roster_import_page() -> rx.Component:
    granted = rx.vstack(
        notice_view(S.notice),
        rx.match(
            S.step,
            ("map", _map_step()),
            ("preview", _preview_step()),
            ("done", _done_step()),
            _upload_step(),
        ),
        spacing="4",
        width="100%",
    )
    return page_frame(
        rx.vstack(
            rx.heading(t("roster.page.title"), as_="h1", size="7"),
            rx.match(S.access, ("granted", granted), ("denied", _denied()), rx.fragment()),
            spacing="4",
            width="100%",
        )
    )
