"""/school/teachers: admins add, edit and archive teachers and set the classes (and subjects) they teach."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from ogp_app.components.notice import error_notice
from ogp_app.components.roster_ui import (
    detail,
    edit_archive_buttons,
    form_buttons,
    form_card,
    option_view,
    roster_page,
    row_card,
    select_box,
)
from ogp_app.components.settings_forms import field, text_input
from ogp_app.components.text import t
from ogp_app.pages.roster._common import Filters, Option, RosterListState, form_id
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError, InvalidInput
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

PATH = "/school/teachers"
SLOTS = 4  # class + subject rows on the form


def _empty_form() -> dict[str, str]:
    values = {"name": "", "email": "", "room": ""}
    for i in range(SLOTS):
        values[f"class_{i}"] = values[f"subject_{i}"] = ""
    return values


class TeachersState(RosterListState, AppState):
    """Admins only: teachers do not manage (or list) their colleagues here."""

    rows: list[ra.TeacherRow] = []
    class_options: list[Option] = []
    edit_values: dict[str, str] = _empty_form()
    _admin_only: ClassVar[bool] = True

    @classmethod
    def _empty_form(cls) -> dict[str, str]:
        return _empty_form()

    def _clear_lists(self) -> None:
        self.rows, self.class_options = [], []

    @classmethod
    def _lists(cls, call: Call, viewer: ra.Viewer, filters: Filters) -> dict[str, Any]:
        db = call.db
        return {
            "rows": ra.list_teachers(db, viewer=viewer, query=filters.query, archived=filters.archived),
            "class_options": [Option(str(c.id), c.name) for c in ra.list_classes(db, viewer=viewer)],
        }

    @classmethod
    def _archive(cls, call: Call, viewer: ra.Viewer, row_id: int, archived: bool) -> None:
        ra.set_teacher_archived(call.db, viewer=viewer, teacher_id=row_id, archived=archived)

    @rx.event
    def edit(self, teacher_id: int) -> None:
        row = next((r for r in self.rows if r.id == teacher_id), None)
        if row is None or self.access != "admin" or len(row.assignments) > SLOTS:
            if row is not None:
                self.page_notice = error_notice(InvalidInput(message_key="manage.error.too_many_classes"))
            return
        values = _empty_form() | {"name": row.name, "email": row.email, "room": row.room}
        for i, item in enumerate(row.assignments):
            values[f"class_{i}"], values[f"subject_{i}"] = str(item.class_id), item.subject
        self._start_edit(row.id, values)

    @rx.event
    async def save(self, form: dict[str, Any]) -> None:
        try:
            name = required_text(form, "name", 254)
            email = required_text(form, "email", 254)
            room = required_text(form, "room", 254)
            assignments = []
            for i in range(SLOTS):
                class_id, subject = form_id(form, f"class_{i}"), required_text(form, f"subject_{i}", 254)
                if class_id is not None:
                    assignments.append(ra.Assignment(class_id, subject))
        except DomainError as error:
            self._form_error(error)
            return
        editing = self.editing or None

        def work(call: Call, viewer: ra.Viewer) -> None:
            ra.save_teacher(
                call.db,
                viewer=viewer,
                teacher_id=editing,
                name=name,
                email=email,
                room=room,
                assignments=assignments,
            )

        await self._save(work)


S = TeachersState
V: Any = TeachersState


def _row(item: rx.Var[ra.TeacherRow]) -> rx.Component:
    row: Any = item
    return row_card(
        row.name,
        rx.text(row.email, size="2", color_scheme="gray", word_break="break-all"),
        detail("manage.teacher.classes", rx.cond(row.classes != "", row.classes, "—")),
        detail("manage.teacher.room", rx.cond(row.room != "", row.room, "—")),
        detail("manage.teacher.account", rx.cond(row.has_account, t("manage.yes"), t("manage.no"))),
        actions=edit_archive_buttons(S, row),
    )


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
        field(
            "manage.teacher.subject",
            f"subject_{i}",
            text_input(f"subject_{i}", default_value=values[f"subject_{i}"], max_length=60),
        ),
        columns="2",
        gap="0.5rem",
        width="100%",
    )


def _form() -> rx.Component:
    values = V.edit_values
    form = rx.el.form(
        rx.grid(
            field(
                "manage.teacher.name", "name", text_input("name", default_value=values["name"], required=True)
            ),
            field(
                "manage.teacher.email",
                "email",
                text_input(
                    "email", type="email", default_value=values["email"], required=True, max_length=254
                ),
            ),
            field(
                "manage.teacher.room", "room", text_input("room", default_value=values["room"], max_length=60)
            ),
            columns={"initial": "1", "sm": "3"},
            gap="0.75rem",
            width="100%",
        ),
        rx.text(t("manage.teacher.classes_help"), size="2", color_scheme="gray", margin_y="0.75rem"),
        rx.vstack(*[_slot(i) for i in range(SLOTS)], spacing="2", width="100%", max_width="640px"),
        rx.box(form_buttons(S.editing > 0, S.new), margin_top="1rem"),
        on_submit=S.save,
        key=S.form_key,
        width="100%",
    )
    return form_card("manage.teacher.add", "manage.teacher.edit", S.editing > 0, form, id="teacher-form")


def teachers_page() -> rx.Component:
    return roster_page(
        S,
        title_key="manage.teachers.title",
        path=PATH,
        form=_form(),
        render_row=_row,
        none_key="manage.teachers.none",
        list_id="teacher-list",
        teachers_see_it=False,
    )
