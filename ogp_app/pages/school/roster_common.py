"""What the roster page states share: who is looking, reading form values, running one action.

The school and the caller come from the session only; every row id from the browser is checked again
by the service inside the school's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Literal

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.models import Role
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import DomainError, InvalidInput, NotAuthenticated, PermissionDenied
from ogp_app.services.handler_calls import Access, Call
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text

Work = Callable[[Call, ra.Viewer], object]  # what it returns is not used
ROSTER = Access((Role.SCHOOL_ADMIN, Role.TEACHER))
SIGNED_OUT: Final = "signed out"


@dataclass(frozen=True)
class Filters:
    """What the page lists, as the search form last set it (read before the work leaves the event)."""

    query: str = ""
    archived: bool = False
    class_id: int | None = None


@dataclass(frozen=True)
class Option:
    """One choice of a select: the value sent back and the text shown."""

    value: str
    label: str


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


async def run(
    state: Any, work: Work, *, ok_key: str | None = None, **values: Any
) -> ra.Viewer | Literal["signed out"] | None:
    """Resolve the viewer, do ``work`` in the school's scope, then reload the page's rows: one call.

    Someone who may not see the roster gets the page wiped ("no access" when signed in; SIGNED_OUT is
    returned when nobody is); a broken rule shows its message and leaves the rows as they were.
    """
    filters, lists = state._filters(), type(state)._lists
    try:
        viewer, done = await state._call(ROSTER, lambda call: _act(call, work, lists, filters))
    except NotAuthenticated:
        state._wipe("")
        return SIGNED_OUT
    except PermissionDenied:
        state._wipe("denied")
        return None
    if isinstance(done, DomainError):
        state.page_notice = error_notice(done)
        return None
    for name, value in done.items():
        setattr(state, name, value)
    state.access = "admin" if viewer.is_admin else "teacher"
    if ok_key:
        state.page_notice = notice(ok_key, **values)
    return viewer


def _act(
    call: Call, work: Work, lists: Callable[[Call, ra.Viewer, Filters], dict[str, Any]], filters: Filters
) -> tuple[ra.Viewer, dict[str, Any] | DomainError]:
    """The viewer (refusing strangers), then ``work`` and the page's rows, or the rule ``work`` broke."""
    viewer = ra.viewer(call.db, school_id=call.school_id, user_id=call.identity.user_id)
    try:
        work(call, viewer)
        return viewer, lists(call, viewer, filters)
    except DomainError as error:
        return viewer, error


def nothing(_call: Call, _viewer: ra.Viewer) -> None:
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

    @classmethod
    def _lists(cls, call: Call, viewer: ra.Viewer, filters: Filters) -> dict[str, Any]:
        """The page's rows (and choices) for ``filters``, by var name. Runs in the worker thread."""
        raise NotImplementedError

    @classmethod
    def _archive(cls, call: Call, viewer: ra.Viewer, row_id: int, archived: bool) -> None:
        raise NotImplementedError

    def _filters(self) -> Filters:
        return Filters(self.query, self.archived)

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

    async def _save(self, work: Work) -> None:
        if isinstance(await run(self, work, ok_key="manage.saved"), ra.Viewer):
            self._start_edit()

    @rx.event
    async def load(self) -> EventSpec | None:
        self._reset_filters()
        self.page_notice = NO_NOTICE
        done = await run(self, nothing)
        if isinstance(done, ra.Viewer):
            self._start_edit()
        elif done == SIGNED_OUT:
            return rx.redirect("/login")
        elif self._admin_only and self.access != "denied":
            self._wipe("denied")  # a teacher reads the roster, but the service refuses this list
        return None

    @rx.event
    async def search(self, form: dict[str, Any]) -> None:
        try:
            self._read_filters(form)
        except DomainError:
            return
        await run(self, nothing)

    @rx.event
    def new(self) -> None:
        if self.access == "admin":
            self._start_edit()

    @rx.event
    async def set_archived(self, row_id: int, archived: bool) -> None:
        if not isinstance(archived, bool):
            return
        archive = type(self)._archive
        ok_key = "manage.archived" if archived else "manage.unarchived"
        await run(self, lambda call, viewer: archive(call, viewer, row_id, archived), ok_key=ok_key)
