"""What the roster page states share: who is looking, reading form values, running one action.

The school and the caller come from the session only; every row id from the browser is checked again
by the service inside the school's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ogp_app.components.notice import error_notice, notice
from ogp_app.db import school_session
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
