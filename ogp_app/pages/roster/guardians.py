"""/school/guardians: admins add, edit and archive guardians; teachers see those of their own classes."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice_view
from ogp_app.components.roster_ui import (
    detail,
    form_buttons,
    form_card,
    no_access,
    roster_tabs,
    row_card,
    row_list,
    search_bar,
    select_box,
)
from ogp_app.components.settings_forms import field, text_input
from ogp_app.components.text import t
from ogp_app.pages.roster._common import Option, form_id, nothing, run, search_input
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

PATH = "/school/guardians"
_EMPTY_FORM = {"name": "", "email": "", "household_id": ""}


class GuardiansState(AppState):
    access: str = ""  # "", "admin", "teacher" or "denied"
    rows: list[ra.GuardianRow] = []
    query: str = ""
    archived: bool = False
    household_options: list[Option] = []  # admins only
    editing: int = 0
    edit_values: dict[str, str] = dict(_EMPTY_FORM)
    form_key: int = 0
    page_notice: Notice = NO_NOTICE

    def _wipe(self, access: str = "") -> None:
        self.access, self.rows, self.query, self.archived = access, [], "", False
        self.household_options = []
        self.editing, self.edit_values, self.page_notice = 0, dict(_EMPTY_FORM), NO_NOTICE

    def _refresh(self, db: Session, viewer: ra.Viewer) -> None:
        self.rows = ra.list_guardians(db, viewer=viewer, query=self.query, archived=self.archived)
        self.household_options = (
            [Option(str(h.id), h.label) for h in ra.households(db, viewer=viewer)] if viewer.is_admin else []
        )

    def _start_edit(self, guardian_id: int = 0, values: dict[str, str] | None = None) -> None:
        self.editing, self.edit_values = guardian_id, values or dict(_EMPTY_FORM)
        self.form_key += 1

    @rx.event
    def load(self) -> EventSpec | None:
        self.query, self.archived, self.page_notice = "", False, NO_NOTICE
        if run(self, nothing) is not None:
            self._start_edit()
        elif self._identity() is None:
            return rx.redirect("/login")
        return None

    @rx.event
    def search(self, form: dict[str, Any]) -> None:
        try:
            self.query, self.archived = search_input(form)
        except DomainError:
            return
        run(self, nothing)

    @rx.event
    def edit(self, guardian_id: int) -> None:
        row = next((r for r in self.rows if r.id == guardian_id), None)
        if row is not None and self.access == "admin":
            values = {"name": row.name, "email": row.email, "household_id": str(row.household_id)}
            self._start_edit(row.id, values)

    @rx.event
    def new(self) -> None:
        if self.access == "admin":
            self._start_edit()

    @rx.event
    def save(self, form: dict[str, Any]) -> None:
        try:
            name = required_text(form, "name", 254)
            email = required_text(form, "email", 254)
            household_id = form_id(form, "household_id")
        except DomainError as error:
            if self.access == "admin":
                self.page_notice = error_notice(error)
            return
        editing = self.editing or None

        def work(db: Session, viewer: ra.Viewer) -> None:
            ra.save_guardian(
                db, viewer=viewer, guardian_id=editing, name=name, email=email, household_id=household_id
            )

        if run(self, work, ok_key="manage.saved"):
            self._start_edit()

    @rx.event
    def set_archived(self, guardian_id: int, archived: bool) -> None:
        if not isinstance(archived, bool):
            return

        def work(db: Session, viewer: ra.Viewer) -> None:
            ra.set_guardian_archived(db, viewer=viewer, guardian_id=guardian_id, archived=archived)

        run(self, work, ok_key="manage.archived" if archived else "manage.unarchived")


S = GuardiansState
V: Any = GuardiansState


def _row(item: rx.Var[ra.GuardianRow]) -> rx.Component:
    row: Any = item
    actions = rx.cond(
        S.access == "admin",
        rx.hstack(
            rx.button(t("manage.edit"), on_click=S.edit(row.id), variant="outline", high_contrast=True),  # type: ignore[operator]
            rx.button(
                rx.cond(row.archived, t("manage.unarchive"), t("manage.archive")),
                on_click=S.set_archived(row.id, ~row.archived),  # type: ignore[operator]
                variant="outline",
                color_scheme=rx.cond(row.archived, "jade", "red"),
                high_contrast=True,
            ),
            spacing="2",
        ),
    )
    return row_card(
        row.name,
        rx.text(row.email, size="2", color_scheme="gray", word_break="break-all"),
        detail("manage.guardian.household", row.household),
        detail("manage.guardian.pupils", rx.cond(row.pupils != "", row.pupils, "—")),
        detail("manage.guardian.account", rx.cond(row.has_account, t("manage.yes"), t("manage.no"))),
        actions=actions,
    )


def _option(item: rx.Var[Option]) -> rx.Component:
    option: Any = item
    return rx.el.option(option.label, value=option.value)


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
                    rx.foreach(S.household_options, _option),
                    default_value=values["household_id"],
                ),
                help_key="manage.guardian.household_help",
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
    body = rx.vstack(
        rx.heading(t("manage.guardians.title"), as_="h1", size="7"),
        roster_tabs(PATH, S.access == "admin"),
        notice_view(S.page_notice),
        rx.cond(S.access == "admin", _form()),
        search_bar(S.search, S.query, S.access == "admin"),
        row_list(S.rows, _row, "manage.guardians.none", "guardian-list"),
        spacing="4",
        width="100%",
    )
    return page_frame(
        rx.match(
            S.access,
            ("admin", body),
            ("teacher", body),
            ("denied", no_access("manage.guardians.title")),
            rx.fragment(),
        )
    )
