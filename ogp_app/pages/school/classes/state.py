"""/school/classes: the school's groepen/klassen; admins add, rename and archive; teachers see their own."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.pages.school.roster_common import Filters, RosterListState
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text


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
