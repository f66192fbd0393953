"""The privacy statement in force (/privacy), its history (/privacy/history) and the accept page.

/privacy and /privacy/history are public. /privacy/accept is where the signed-in pages send a person
while a material change waits for their acceptance (see AppState.load_session); it offers the way out
too: the privacy centre (download, delete) and log-out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice
from ogp_app.services.errors import DomainError, NotAuthenticated
from ogp_app.services.handler_calls import Access, Call, PublicCall
from ogp_app.services.privacy import statement
from ogp_app.services.privacy.statement import StatementVersion
from ogp_app.state.base import CONSENT_PATH, AppState
from ogp_app.state.staff import display_time

HISTORY_PATH = statement.HISTORY_PATH

_NEXT = re.compile(r"/[A-Za-z0-9/_-]{0,200}")  # a path of this app; never "//host" or a scheme


# The accept page is where a person goes while consent is due, enrolled or not: a plain session.
CONSENTING = Access(allow_consent_due=True, allow_unenrolled=True)


@dataclass(frozen=True)
class StatementView:
    """A version for display (no table object reaches the browser)."""

    version: str = ""
    published: str = ""  # dd-mm-yyyy hh:mm, "" for the built-in version
    material: bool = False
    built_in: bool = True
    body_nl: str = ""
    body_en: str = ""
    summary_nl: str = ""
    summary_en: str = ""


def view_of(version: StatementVersion) -> StatementView:
    return StatementView(
        version=version.version,
        published=display_time(version.published_at),
        material=version.material_change,
        built_in=version.built_in,
        body_nl=version.body_nl,
        body_en=version.body_en,
        summary_nl=version.summary_nl,
        summary_en=version.summary_en,
    )


def safe_next(value: object) -> str:
    """Where to go after accepting: a local path from the query, else /app."""
    ok = isinstance(value, str) and bool(_NEXT.fullmatch(value)) and not value.startswith("//")
    return value if ok and isinstance(value, str) and value.rstrip("/") != CONSENT_PATH else "/app"


class PrivacyStatementState(AppState):
    """/privacy: the version in force (public)."""

    current: StatementView = StatementView(version=statement.BUILT_IN_VERSION)

    @rx.event
    async def load(self) -> None:
        self.current = await self._call_public(_in_force)


class PrivacyHistoryState(AppState):
    """/privacy/history: every version, and the text of the one chosen by ?version= (public)."""

    versions: list[StatementView] = []
    selected: StatementView = StatementView()
    unknown: bool = False

    @rx.event
    async def load(self) -> None:
        wanted = self.router.url.query_parameters.get("version", "")
        versions, chosen = await self._call_public(lambda call: _history(call, wanted))
        self.versions = [view_of(v) for v in versions]
        self.unknown = chosen is None
        self.selected = view_of(chosen) if chosen is not None else StatementView()


class PrivacyAcceptState(AppState):
    """/privacy/accept: read the new version, accept it, or leave."""

    access: str = ""  # "", "due", "nothing" (already accepted) or "anonymous"
    current: StatementView = StatementView()
    accept_notice: Notice = NO_NOTICE
    _next: str = "/app"

    @rx.event
    async def load(self) -> EventSpec | None:
        self.accept_notice = NO_NOTICE
        try:
            current, due = await self._call(CONSENTING, _acceptance_of)
        except NotAuthenticated:
            self.access = "anonymous"
            return rx.redirect("/login")
        except DomainError:
            self.access = "anonymous"
            return None
        self._next = safe_next(self.router.url.query_parameters.get("next", ""))
        self.current = current
        self.access = "due" if due else "nothing"
        return None

    @rx.event
    async def accept(self) -> EventSpec | None:
        try:
            await self._call(CONSENTING, _accept)
        except NotAuthenticated:
            self.reset()
            return rx.redirect("/login")
        except DomainError as error:
            self.accept_notice = error_notice(error)
            return None
        self.access = "nothing"
        return rx.redirect(self._next)


def _in_force(call: PublicCall) -> StatementView:
    return view_of(statement.in_force(call.db))


def _history(call: PublicCall, wanted: object) -> tuple[list[StatementVersion], StatementVersion | None]:
    """Every version, newest first, and the one asked for (the newest when none was)."""
    versions = statement.history(call.db)
    chosen = statement.find(call.db, wanted) if isinstance(wanted, str) and wanted else versions[0]
    return versions, chosen


def _accept(call: Call) -> None:
    statement.accept(call.db, user_id=call.identity.user_id)


def _acceptance_of(call: Call) -> tuple[StatementView, bool]:
    """The version in force and whether the caller still has to accept it."""
    return _in_force(call), statement.consent_due(call.db, user_id=call.identity.user_id)
