"""/school/classes: the school's groepen/klassen; admins add, rename and archive; teachers see their own."""

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
from ogp_app.pages.roster._common import Filters, RosterListState
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

PATH = "/school/classes"


class ClassesState(RosterListState, AppState):
    rows: list[ra.ClassRow] = []
    edit_values: dict[str, str] = {"class_name": ""}

    @classmethod
    def _empty_form(cls) -> dict[str, str]:
        return {"class_name": ""}

    def _clear_lists(self) -> None:
        self.rows = []

    @classmethod
    def _lists(cls, call: Call, viewer: ra.Viewer, filters: Filters) -> dict[str, Any]:
        return {
            "rows": ra.list_classes(call.db, viewer=viewer, query=filters.query, archived=filters.archived)
        }

    @classmethod
    def _archive(cls, call: Call, viewer: ra.Viewer, row_id: int, archived: bool) -> None:
        ra.set_class_archived(call.db, viewer=viewer, class_id=row_id, archived=archived)

    @rx.event
    def edit(self, class_id: int) -> None:
        """Fill the form with a listed class (the save checks it again)."""
        found = next((row for row in self.rows if row.id == class_id), None)
        if found is not None and self.access == "admin":
            self._start_edit(found.id, {"class_name": found.name})

    @rx.event
    async def save(self, form: dict[str, Any]) -> None:
        try:
            name = required_text(form, "class_name", 200)
        except DomainError:
            return
        editing = self.editing or None
        await self._save(
            lambda call, viewer: ra.save_class(call.db, viewer=viewer, class_id=editing, name=name)
        )


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
