"""/school/pupils: admins add, edit and archive pupils; teachers see the pupils of their own classes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.pages.school.roster_common import Filters, Option, RosterListState, form_id, search_input
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError, InvalidInput
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

GUARDIAN_FIELDS = ("guardian_1", "guardian_2")


_EMPTY_FORM = {
    "first_name": "",
    "name_prefix": "",
    "last_name": "",
    "pupil_number": "",
    "class_id": "",
    "meeting_mode": "joint",
    "guardian_1": "",
    "guardian_2": "",
}


class PupilsState(RosterListState, AppState):
    rows: list[ra.PupilRow] = []
    class_filter: str = ""
    class_options: list[Option] = []
    guardian_options: list[Option] = []  # admins only
    edit_values: dict[str, str] = dict(_EMPTY_FORM)

    @classmethod
    def _empty_form(cls) -> dict[str, str]:
        return dict(_EMPTY_FORM)

    def _clear_lists(self) -> None:
        self.rows, self.class_options, self.guardian_options = [], [], []

    def _reset_filters(self) -> None:
        self.query, self.archived, self.class_filter = "", False, ""

    def _read_filters(self, form: dict[str, Any]) -> None:
        query, archived = search_input(form)
        class_id = form_id(form, "class_filter")
        self.query, self.archived, self.class_filter = query, archived, str(class_id or "")

    def _filters(self) -> Filters:
        return Filters(self.query, self.archived, int(self.class_filter) if self.class_filter else None)

    @classmethod
    def _lists(cls, call: Call, viewer: ra.Viewer, filters: Filters) -> dict[str, Any]:
        db, query, archived = call.db, filters.query, filters.archived
        return {
            "rows": ra.list_pupils(
                db, viewer=viewer, query=query, class_id=filters.class_id, archived=archived
            ),
            "class_options": [Option(str(c.id), c.name) for c in ra.list_classes(db, viewer=viewer)],
            "guardian_options": (
                [Option(str(g.id), f"{g.name} <{g.email}>") for g in ra.list_guardians(db, viewer=viewer)]
                if viewer.is_admin
                else []
            ),
        }

    @classmethod
    def _archive(cls, call: Call, viewer: ra.Viewer, row_id: int, archived: bool) -> None:
        ra.set_pupil_archived(call.db, viewer=viewer, pupil_id=row_id, archived=archived)

    @rx.event
    def edit(self, pupil_id: int) -> None:
        """Fill the form with a listed pupil (the save checks everything again)."""
        row = next((r for r in self.rows if r.id == pupil_id), None)
        if row is None or self.access != "admin":
            return
        guardians = [str(g) for g in row.guardian_ids[: len(GUARDIAN_FIELDS)]]
        guardians += [""] * (len(GUARDIAN_FIELDS) - len(guardians))
        values = {
            "first_name": row.first_name,
            "name_prefix": row.name_prefix,
            "last_name": row.last_name,
            "pupil_number": row.number,
            "class_id": str(row.class_id),
            "meeting_mode": row.meeting_mode,
            **dict(zip(GUARDIAN_FIELDS, guardians, strict=True)),
        }
        self._start_edit(row.id, values)

    @rx.event
    async def save(self, form: dict[str, Any]) -> None:
        try:
            class_id = form_id(form, "class_id")
            if class_id is None:
                raise InvalidInput("no class", message_key="manage.error.choose_class")
            guardian_ids = tuple(g for g in (form_id(form, f) for f in GUARDIAN_FIELDS) if g is not None)
            data = ra.PupilInput(
                first_name=required_text(form, "first_name", 200),
                name_prefix=required_text(form, "name_prefix", 200),
                last_name=required_text(form, "last_name", 200),
                pupil_number=required_text(form, "pupil_number", 200),
                class_id=class_id,
                meeting_mode=required_text(form, "meeting_mode", 20),
                guardian_ids=guardian_ids,
            )
        except DomainError as error:
            self._form_error(error)
            return
        editing = self.editing or None
        await self._save(
            lambda call, viewer: ra.save_pupil(call.db, viewer=viewer, pupil_id=editing, data=data)
        )
