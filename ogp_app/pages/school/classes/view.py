"""The view of /school/classes (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.roster_ui import detail, form_buttons, form_card, roster_page, value_field
from ogp_app.pages.school.classes.state import ClassesState

S = ClassesState


def _details(row: Any) -> list[rx.Component]:
    """What a class's card says under its name (``row`` is a roster_admin.ClassRow)."""
    return [
        detail("manage.class.teachers", rx.cond(row.teachers != "", row.teachers, "—")),
        detail("manage.class.pupils", row.pupils),
    ]


def _form() -> rx.Component:
    form = rx.el.form(
        rx.flex(
            rx.box(
                value_field("manage.class.name", "class_name", S.edit_values, required=True, max_length=60),
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
        path="/school/classes",
        form=_form(),
        details=_details,
        none_key="manage.classes.none",
        list_id="class-list",
    )
