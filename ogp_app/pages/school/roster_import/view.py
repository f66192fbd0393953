"""/school/roster/import: upload a CSV/XLSX export, map its columns, preview, import, see the summary."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import bare_list, column
from ogp_app.components.layout import page_column, page_frame
from ogp_app.components.notice import notice_view
from ogp_app.components.school_parts import no_access_callout
from ogp_app.components.settings_forms import section
from ogp_app.components.text import t
from ogp_app.pages.school.roster_import.preview import _done_step, _preview_step
from ogp_app.pages.school.roster_import.state import ColumnView, RosterImportState
from ogp_app.services.roster_import import FIELDS

S = RosterImportState
UPLOAD_ID = "roster_file"
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
        bare_list(S.columns, _column),
        rx.flex(
            rx.button(t("roster.page.preview"), on_click=S.show_preview, high_contrast=True, size="3"),
            rx.button(t("roster.page.save_mapping"), on_click=S.store_mapping, variant="outline", size="3"),
            rx.button(t("roster.page.start_over"), on_click=S.start_over, variant="ghost", size="3"),
            spacing="2",
            wrap="wrap",
        ),
        id="roster-mapping",
    )


def roster_import_page() -> rx.Component:
    granted = column(
        notice_view(S.notice),
        rx.match(
            S.step,
            ("map", _map_step()),
            ("preview", _preview_step()),
            ("done", _done_step()),
            _upload_step(),
        ),
    )
    return page_frame(
        page_column(
            "roster.page.title",
            rx.match(S.access, ("granted", granted), ("denied", no_access_callout()), rx.fragment()),
        )
    )
