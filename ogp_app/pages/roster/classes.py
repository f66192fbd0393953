"""/school/classes: the school's groepen/klassen; admins add, rename and archive; teachers see their own."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, notice_view
from ogp_app.components.roster_ui import (
    detail,
    form_buttons,
    form_card,
    no_access,
    roster_tabs,
    row_card,
    row_list,
    search_bar,
)
from ogp_app.components.settings_forms import field, text_input
from ogp_app.components.text import t
from ogp_app.pages.roster._common import nothing, run, search_input
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

PATH = "/school/classes"


class ClassesState(AppState):
    access: str = ""  # "", "admin", "teacher" or "denied"
    rows: list[ra.ClassRow] = []
    query: str = ""
    archived: bool = False
    editing: int = 0  # the class being renamed; 0 while adding one
    edit_name: str = ""
    form_key: int = 0
    page_notice: Notice = NO_NOTICE

    def _wipe(self, access: str = "") -> None:
        self.access, self.rows, self.query, self.archived = access, [], "", False
        self.editing, self.edit_name, self.page_notice = 0, "", NO_NOTICE

    def _refresh(self, db: Session, viewer: ra.Viewer) -> None:
        self.rows = ra.list_classes(db, viewer=viewer, query=self.query, archived=self.archived)

    def _start_edit(self, class_id: int = 0, name: str = "") -> None:
        self.editing, self.edit_name = class_id, name
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
            query, archived = search_input(form)
        except DomainError:
            return
        self.query, self.archived = query, archived
        run(self, nothing)

    @rx.event
    def edit(self, class_id: int) -> None:
        """Fill the form with a listed class (the save checks it again)."""
        found = next((row for row in self.rows if row.id == class_id), None)
        if found is not None and self.access == "admin":
            self._start_edit(found.id, found.name)

    @rx.event
    def new(self) -> None:
        if self.access == "admin":
            self._start_edit()

    @rx.event
    def save(self, form: dict[str, Any]) -> None:
        try:
            name = required_text(form, "class_name", 200)
        except DomainError:
            return
        editing = self.editing or None

        def work(db: Session, viewer: ra.Viewer) -> None:
            ra.save_class(db, viewer=viewer, class_id=editing, name=name)

        if run(self, work, ok_key="manage.saved"):
            self._start_edit()

    @rx.event
    def set_archived(self, class_id: int, archived: bool) -> None:
        if not isinstance(archived, bool):
            return

        def work(db: Session, viewer: ra.Viewer) -> None:
            ra.set_class_archived(db, viewer=viewer, class_id=class_id, archived=archived)

        run(self, work, ok_key="manage.archived" if archived else "manage.unarchived")


S = ClassesState


def _row(item: rx.Var[ra.ClassRow]) -> rx.Component:
    row: Any = item
    actions = rx.cond(
        S.access == "admin",
        rx.hstack(
            rx.button(
                t("manage.edit"),
                on_click=S.edit(row.id),  # type: ignore[operator]
                variant="outline",
                high_contrast=True,
            ),
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
        detail("manage.class.teachers", rx.cond(row.teachers != "", row.teachers, "—")),
        detail("manage.class.pupils", row.pupils),
        actions=actions,
    )


def _form() -> rx.Component:
    form = rx.el.form(
        rx.flex(
            rx.box(
                field(
                    "manage.class.name",
                    "class_name",
                    text_input("class_name", default_value=S.edit_name, required=True, max_length=60),
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
    body = rx.vstack(
        rx.heading(t("manage.classes.title"), as_="h1", size="7"),
        roster_tabs(PATH, S.access == "admin"),
        notice_view(S.page_notice),
        rx.cond(S.access == "admin", _form()),
        search_bar(S.search, S.query, S.access == "admin"),
        row_list(S.rows, _row, "manage.classes.none", "class-list"),
        spacing="4",
        width="100%",
    )
    return page_frame(
        rx.match(
            S.access,
            ("admin", body),
            ("teacher", body),
            ("denied", no_access("manage.classes.title")),
            rx.fragment(),
        )
    )
