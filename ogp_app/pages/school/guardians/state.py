"""/school/guardians: admins add, edit and archive guardians; teachers see those of their own classes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.pages.school.roster_common import Filters, Option, RosterListState, form_id
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

_EMPTY_FORM = {"name": "", "email": "", "household_id": "", "language": ""}


class GuardiansState(RosterListState, AppState):
    rows: list[ra.GuardianRow] = []
    household_options: list[Option] = []  # admins only
    edit_values: dict[str, str] = dict(_EMPTY_FORM)

    @classmethod
    def _empty_form(cls) -> dict[str, str]:
        return dict(_EMPTY_FORM)

    def _clear_lists(self) -> None:
        self.rows, self.household_options = [], []

    @classmethod
    def _lists(cls, call: Call, viewer: ra.Viewer, filters: Filters) -> dict[str, Any]:
        db = call.db
        return {
            "rows": ra.list_guardians(db, viewer=viewer, query=filters.query, archived=filters.archived),
            "household_options": (
                [Option(str(h.id), h.label) for h in ra.households(db, viewer=viewer)]
                if viewer.is_admin
                else []
            ),
        }

    @classmethod
    def _archive(cls, call: Call, viewer: ra.Viewer, row_id: int, archived: bool) -> None:
        ra.set_guardian_archived(call.db, viewer=viewer, guardian_id=row_id, archived=archived)

    @rx.event
    def edit(self, guardian_id: int) -> None:
        row = next((r for r in self.rows if r.id == guardian_id), None)
        if row is not None and self.access == "admin":
            values = {
                "name": row.name,
                "email": row.email,
                "household_id": str(row.household_id),
                "language": row.language,
            }
            self._start_edit(row.id, values)

    @rx.event
    async def save(self, form: dict[str, Any]) -> None:
        try:
            name = required_text(form, "name", 254)
            email = required_text(form, "email", 254)
            household_id = form_id(form, "household_id")
            language = required_text(form, "language", 40)
        except DomainError as error:
            self._form_error(error)
            return
        editing = self.editing or None

        def work(call: Call, viewer: ra.Viewer) -> None:
            ra.save_guardian(
                call.db,
                viewer=viewer,
                guardian_id=editing,
                name=name,
                email=email,
                household_id=household_id,
                language=language,
            )

        await self._save(work)
