"""/school/teachers: admins add, edit and archive teachers and set the classes (and subjects) they teach."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from ogp_app.components.notice import error_notice
from ogp_app.pages.school.roster_common import Filters, Option, RosterListState, form_id
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError, InvalidInput
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

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
