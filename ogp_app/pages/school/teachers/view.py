"""The view of /school/teachers (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import email_text
from ogp_app.components.roster_ui import detail, option_view, roster_form, roster_page, value_field
from ogp_app.components.settings_forms import field, select_box
from ogp_app.components.text import t
from ogp_app.pages.school.teachers.state import SLOTS, TeachersState

S = TeachersState
V: Any = TeachersState  # its edit_values, read by key


def _details(row: Any) -> list[rx.Component]:
    """What a teacher's card says under the name (``row`` is a roster_admin.TeacherRow)."""
    return [
        email_text(row.email),
        detail("manage.teacher.classes", rx.cond(row.classes != "", row.classes, "—")),
        detail("manage.teacher.room", rx.cond(row.room != "", row.room, "—")),
        detail("manage.teacher.account", rx.cond(row.has_account, t("manage.yes"), t("manage.no"))),
    ]


def _slot(i: int) -> rx.Component:
    values = V.edit_values
    return rx.grid(
        field(
            "manage.teacher.class",
            f"class_{i}",
            select_box(
                f"class_{i}",
                rx.el.option(t("manage.teacher.no_class"), value=""),
                rx.foreach(S.class_options, option_view),
                default_value=values[f"class_{i}"],
            ),
        ),
        value_field("manage.teacher.subject", f"subject_{i}", values, max_length=60),
        columns="2",
        gap="0.5rem",
        width="100%",
    )


def _form() -> rx.Component:
    values = V.edit_values
    return roster_form(
        S,
        value_field("manage.teacher.name", "name", values, required=True),
        value_field("manage.teacher.email", "email", values, type="email", required=True, max_length=254),
        value_field("manage.teacher.room", "room", values, max_length=60),
        add_key="manage.teacher.add",
        edit_key="manage.teacher.edit",
        id="teacher-form",
        columns={"initial": "1", "sm": "3"},
        below=(
            rx.text(t("manage.teacher.classes_help"), size="2", color_scheme="gray", margin_y="0.75rem"),
            rx.vstack(*[_slot(i) for i in range(SLOTS)], spacing="2", width="100%", max_width="640px"),
        ),
    )


def teachers_page() -> rx.Component:
    return roster_page(
        S,
        title_key="manage.teachers.title",
        path="/school/teachers",
        form=_form(),
        details=_details,
        none_key="manage.teachers.none",
        list_id="teacher-list",
        teachers_see_it=False,
    )
