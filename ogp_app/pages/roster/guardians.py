"""/school/guardians: admins add, edit and archive guardians; teachers see those of their own classes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.roster_ui import (
    admin_actions,
    detail,
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
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

PATH = "/school/guardians"
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


S = GuardiansState
V: Any = GuardiansState


def _row(item: rx.Var[ra.GuardianRow]) -> rx.Component:
    row: Any = item
    return row_card(
        row.name,
        rx.text(row.email, size="2", color_scheme="gray", word_break="break-all"),
        detail("manage.guardian.household", row.household),
        detail("manage.guardian.pupils", rx.cond(row.pupils != "", row.pupils, "—")),
        detail("manage.guardian.account", rx.cond(row.has_account, t("manage.yes"), t("manage.no"))),
        rx.cond(
            row.language != "",
            detail(
                "households.guardian.language",
                rx.cond(AppState.lang == "en", row.language_en, row.language_nl),
            ),
        ),
        actions=admin_actions(S, row),
    )


def _form() -> rx.Component:
    values = V.edit_values
    form = rx.el.form(
        rx.grid(
            field(
                "manage.guardian.name",
                "name",
                text_input("name", default_value=values["name"], required=True, max_length=200),
            ),
            field(
                "manage.guardian.email",
                "email",
                text_input(
                    "email", type="email", default_value=values["email"], required=True, max_length=254
                ),
            ),
            field(
                "manage.guardian.household",
                "household_id",
                select_box(
                    "household_id",
                    rx.el.option(t("manage.guardian.new_household"), value=""),
                    rx.foreach(S.household_options, option_view),
                    default_value=values["household_id"],
                ),
                help_key="manage.guardian.household_help",
            ),
            field(
                "households.guardian.language",
                "language",
                text_input("language", default_value=values["language"], max_length=40),
                help_key="households.guardian.language_help",
            ),
            columns={"initial": "1", "sm": "2"},
            gap="0.75rem",
            width="100%",
        ),
        rx.box(form_buttons(S.editing > 0, S.new), margin_top="1rem"),
        on_submit=S.save,
        key=S.form_key,
        width="100%",
    )
    return form_card("manage.guardian.add", "manage.guardian.edit", S.editing > 0, form, id="guardian-form")


def guardians_page() -> rx.Component:
    return roster_page(
        S,
        title_key="manage.guardians.title",
        path=PATH,
        form=_form(),
        render_row=_row,
        none_key="manage.guardians.none",
        list_id="guardian-list",
    )
