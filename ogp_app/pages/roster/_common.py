"""What the roster page states share: who is looking, reading form values, running one action.

The school and the caller come from the session only; every row id from the browser is checked again
by the service inside the school's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.core.db import school_session
from ogp_app.models import Role
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError, InvalidInput, NotAuthenticated, PermissionDenied
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text

Work = Callable[[Session, ra.Viewer], None]


@dataclass(frozen=True)
class Option:
    """One choice of a select: the value sent back and the text shown."""

    value: str
    label: str


def roster_viewer(state: AppState) -> ra.Viewer:
    identity = state._require(Role.SCHOOL_ADMIN, Role.TEACHER)
    assert identity.school_id is not None
    with school_session(identity.school_id) as db:
        return ra.viewer(db, school_id=identity.school_id, user_id=identity.user_id)


def form_id(form: Any, name: str) -> int | None:
    """A row id from a select or hidden field: "" is none; anything but digits is InvalidInput."""
    value = required_text(form, name, 10)
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise InvalidInput(f"field {name!r}")
    return int(value)


def search_input(form: Any) -> tuple[str, bool]:
    """The search words (printable text only: the page shows them again) and "show archived"."""
    query = required_text(form, "q", 100)
    if not query.isprintable():
        raise InvalidInput("search query")
    return query, checkbox(form, "archived")


def run(state: Any, work: Work, *, ok_key: str | None = None, **values: Any) -> ra.Viewer | None:
    """Resolve the viewer, do ``work`` in the school's scope, then reload the page's rows.

    Someone who may not see the roster gets the page wiped ("no access" when signed in); a broken
    rule shows its message and leaves the rows as they were.
    """
    try:
        viewer = roster_viewer(state)
    except (NotAuthenticated, PermissionDenied):
        state._wipe("denied" if state._identity() is not None else "")
        return None
    try:
        with school_session(viewer.school_id) as db:
            work(db, viewer)
        with school_session(viewer.school_id) as db:
            state._refresh(db, viewer)
    except DomainError as error:
        state.page_notice = error_notice(error)
        return None
    state.access = "admin" if viewer.is_admin else "teacher"
    if ok_key:
        state.page_notice = notice(ok_key, **values)
    return viewer


def nothing(_db: Session, _viewer: ra.Viewer) -> None:
    """The work of a page load or a search: none besides reloading the rows."""


class RosterListState(AppState, mixin=True):
    """What the four roster pages share: who may look, the search, the edit form, archiving.

    A page state subclasses this and supplies ``rows``, ``_refresh``, ``_empty_form``, ``_archive`` and
    its own ``edit``/``save``; every handler here checks the caller again through ``run``.
    """

    access: str = ""  # "", "admin", "teacher" or "denied"
    query: str = ""
    archived: bool = False
    editing: int = 0  # the row being edited; 0 while adding one
    edit_values: dict[str, str] = {}
    form_key: int = 0  # a new key remounts the form, so its default values apply again
    page_notice: Notice = NO_NOTICE
    _admin_only: ClassVar[bool] = False  # teachers may read the page's rows too, unless this is set

    @classmethod
    def _empty_form(cls) -> dict[str, str]:
        return {}

    def _refresh(self, db: Session, viewer: ra.Viewer) -> None:
        raise NotImplementedError

    def _archive(self, db: Session, viewer: ra.Viewer, row_id: int, archived: bool) -> None:
        raise NotImplementedError

    def _clear_lists(self) -> None:
        """Forget what the page listed (the rows and any choices loaded with them)."""
        raise NotImplementedError

    def _reset_filters(self) -> None:
        self.query, self.archived = "", False

    def _read_filters(self, form: dict[str, Any]) -> None:
        """Take the search form's values (raises DomainError on input a browser would not send)."""
        self.query, self.archived = search_input(form)

    def _wipe(self, access: str = "") -> None:
        self.access = access
        self._clear_lists()
        self._reset_filters()
        self.editing, self.edit_values, self.page_notice = 0, self._empty_form(), NO_NOTICE

    def _start_edit(self, row_id: int = 0, values: dict[str, str] | None = None) -> None:
        self.editing, self.edit_values = row_id, values or self._empty_form()
        self.form_key += 1

    def _form_error(self, error: DomainError) -> None:
        if self.access == "admin":
            self.page_notice = error_notice(error)

    def _save(self, work: Work) -> None:
        if run(self, work, ok_key="manage.saved"):
            self._start_edit()

    @rx.event
    def load(self) -> EventSpec | None:
        self._reset_filters()
        self.page_notice = NO_NOTICE
        if run(self, nothing) is not None:
            self._start_edit()
        elif self._identity() is None:
            return rx.redirect("/login")
        elif self._admin_only and self.access != "denied":
            self._wipe("denied")  # a teacher reads the roster, but the service refuses this list
        return None

    @rx.event
    def search(self, form: dict[str, Any]) -> None:
        try:
            self._read_filters(form)
        except DomainError:
            return
        run(self, nothing)

    @rx.event
    def new(self) -> None:
        if self.access == "admin":
            self._start_edit()

    @rx.event
    def set_archived(self, row_id: int, archived: bool) -> None:
        if not isinstance(archived, bool):
            return

        def work(db: Session, viewer: ra.Viewer) -> None:
            self._archive(db, viewer, row_id, archived)

        run(self, work, ok_key="manage.archived" if archived else "manage.unarchived")
