"""The view of /school/pupils (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.roster_ui import detail, option_view, roster_form, roster_page, value_field
from ogp_app.components.settings_forms import field, select_box
from ogp_app.components.text import t
from ogp_app.pages.school.pupils.state import PupilsState

S = PupilsState
V: Any = PupilsState  # its edit_values, read by key


def _details(row: Any) -> list[rx.Component]:
    """What a pupil's card says under the name (``row`` is a roster_admin.PupilRow)."""
    return [
        detail("manage.pupil.class", row.class_name),
        detail("manage.pupil.number", rx.cond(row.number != "", row.number, "—")),
        detail("manage.pupil.guardians", rx.cond(row.guardians != "", row.guardians, "—")),
        detail(
            "manage.pupil.meeting_mode",
            rx.cond(
                row.meeting_mode == "joint", t("manage.meeting.joint"), t("manage.meeting.per_household")
            ),
        ),
    ]


def _guardian_select(name: str, label_key: str) -> rx.Component:
    return field(
        label_key,
        name,
        select_box(
            name,
            rx.el.option(t("manage.pupil.no_guardian"), value=""),
            rx.foreach(S.guardian_options, option_view),
            default_value=V.edit_values[name],
        ),
    )


def _form() -> rx.Component:
    values = V.edit_values
    return roster_form(
        S,
        value_field("manage.pupil.first_name", "first_name", values, required=True, max_length=100),
        value_field("manage.pupil.name_prefix", "name_prefix", values, max_length=30),
        value_field("manage.pupil.last_name", "last_name", values, required=True, max_length=150),
        value_field("manage.pupil.number", "pupil_number", values, max_length=40),
        field(
            "manage.pupil.class",
            "class_id",
            select_box(
                "class_id",
                rx.el.option(t("manage.pupil.choose_class"), value=""),
                rx.foreach(S.class_options, option_view),
                default_value=values["class_id"],
                required=True,
            ),
        ),
        field(
            "manage.pupil.meeting_mode",
            "meeting_mode",
            select_box(
                "meeting_mode",
                rx.el.option(t("manage.meeting.joint"), value="joint"),
                rx.el.option(t("manage.meeting.per_household"), value="per_household"),
                default_value=values["meeting_mode"],
            ),
        ),
        _guardian_select("guardian_1", "manage.pupil.guardian_1"),
        _guardian_select("guardian_2", "manage.pupil.guardian_2"),
        add_key="manage.pupil.add",
        edit_key="manage.pupil.edit",
        id="pupil-form",
        columns={"initial": "1", "sm": "2"},
    )


def _class_filter() -> rx.Component:
    return rx.box(
        rx.el.label(t("manage.pupil.class"), html_for="class_filter", font_weight="500"),
        select_box(
            "class_filter",
            rx.el.option(t("manage.all_classes"), value=""),
            rx.foreach(S.class_options, option_view),
            default_value=S.class_filter,
        ),
        flex="0 1 200px",
    )


def pupils_page() -> rx.Component:
    return roster_page(
        S,
        title_key="manage.pupils.title",
        path="/school/pupils",
        form=_form(),
        details=_details,
        none_key="manage.pupils.none",
        list_id="pupil-list",
        filters=(_class_filter(),),
    )
