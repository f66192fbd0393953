"""The view of /school/classes (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.roster_ui import (
    admin_actions,
    detail,
    form_buttons,
    form_card,
    roster_page,
    row_card,
)
from ogp_app.components.settings_forms import field, text_input
from ogp_app.pages.school.classes.state import ClassesState
from ogp_app.services import roster_admin as ra

PATH = "/school/classes"


S = ClassesState


V: Any = ClassesState


def _row(item: rx.Var[ra.ClassRow]) -> rx.Component:
    row: Any = item
    return row_card(
        row.name,
        detail("manage.class.teachers", rx.cond(row.teachers != "", row.teachers, "—")),
        detail("manage.class.pupils", row.pupils),
        actions=admin_actions(S, row),
    )


def _form() -> rx.Component:
    form = rx.el.form(
        rx.flex(
            rx.box(
                field(
                    "manage.class.name",
                    "class_name",
                    text_input(
                        "class_name", default_value=V.edit_values["class_name"], required=True, max_length=60
                    ),
                ),
                flex="1 1 220px",
            ),
            form_buttons(S.editing > 0, S.new),
            gap="0.75rem",
            align="end",
            wrap="wrap",
        ),
        on_submit=S.save,
        key=S.form_key,
        width="100%",
    )
    return form_card("manage.class.add", "manage.class.edit", S.editing > 0, form, id="class-form")


def classes_page() -> rx.Component:
    return roster_page(
        S,
        title_key="manage.classes.title",
        path=PATH,
        form=_form(),
        render_row=_row,
        none_key="manage.classes.none",
        list_id="class-list",
    )
