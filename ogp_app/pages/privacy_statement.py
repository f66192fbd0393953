"""The privacy statement in force (/privacy), its history (/privacy/history) and the accept page.

/privacy and /privacy/history are public. /privacy/accept is where the signed-in pages send a person
while a material change waits for their acceptance (see AppState.load_session); it offers the way out
too: the privacy centre (download, delete) and log-out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice_view
from ogp_app.components.settings_forms import link_button
from ogp_app.components.text import t
from ogp_app.services.errors import DomainError, NotAuthenticated
from ogp_app.services.handler_calls import Access, Call, PublicCall
from ogp_app.services.privacy import statement
from ogp_app.services.privacy.statement import StatementVersion
from ogp_app.state.base import CONSENT_PATH, AppState
from ogp_app.state.staff import display_time

HISTORY_PATH = statement.HISTORY_PATH
_SEP = " · "  # between parts of one line; not words, no translation
_NEXT = re.compile(r"/[A-Za-z0-9/_-]{0,200}")  # a path of this app; never "//host" or a scheme
# The accept page is where a person goes while consent is due, enrolled or not: a plain session.
CONSENTING = Access(allow_consent_due=True, allow_unenrolled=True)


PRIVACY_PROMISES = [
    "privacy.promise.purpose",
    "privacy.promise.minimal",
    "privacy.promise.no_third_parties",
    "privacy.promise.no_tracking",
    "privacy.promise.security",
    "privacy.promise.your_data",
    "privacy.promise.retention",
]


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


# The blocking work of the handlers (in a worker thread; it touches no state).


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


def built_in_statement() -> rx.Component:
    """Version 1.0, shipped with the app (catalog keys privacy.*); later versions live in the database."""
    return rx.vstack(
        rx.heading(t("privacy.short.title"), as_="h2", size="5"),
        rx.text(t("privacy.short.body")),
        rx.el.ul(
            *[rx.el.li(rx.text(t(k)), margin_bottom="0.5rem") for k in PRIVACY_PROMISES],
            padding_left="1.2rem",
        ),
        rx.text(t("privacy.processor")),
        spacing="3",
        width="100%",
    )


def _body(view: Any) -> rx.Component:
    """The text of a version stored in the database, in the page's language; line breaks kept."""
    v = view
    return rx.text(
        rx.cond(AppState.lang == "en", v.body_en, v.body_nl),
        white_space="pre-line",
        class_name="statement-body",
    )


def version_line(view: Any) -> rx.Component:
    v = view
    return rx.text(
        t("consent.version"),
        " ",
        v.version,
        rx.cond(v.published != "", rx.fragment(_SEP, t("consent.published_on"), " ", v.published), ""),
        color_scheme="gray",
        size="2",
    )


def statement_text(view: Any, built_in: rx.Component) -> rx.Component:
    """The built-in text (catalog) or the stored one."""
    v = view
    return rx.cond(v.built_in, built_in, _body(view))


def _material(flag: Any) -> rx.Component:
    return rx.cond(flag, t("consent.material_yes"), t("consent.material_no"))


def _history_row(v: Any) -> rx.Component:
    view = v
    return rx.table.row(
        rx.table.cell(rx.link(view.version, href=HISTORY_PATH + "?version=" + view.version)),
        rx.table.cell(rx.cond(view.published != "", view.published, t("consent.in_force_since_start"))),
        rx.table.cell(_material(view.material)),
    )


def privacy_history_page() -> rx.Component:
    selected: Any = PrivacyHistoryState.selected
    return page_frame(
        rx.vstack(
            rx.heading(t("consent.history.title"), as_="h1", size="7"),
            rx.text(t("consent.history.intro")),
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(t("consent.version")),
                            rx.table.column_header_cell(t("consent.published_on")),
                            rx.table.column_header_cell(t("consent.material")),
                        )
                    ),
                    rx.table.body(rx.foreach(PrivacyHistoryState.versions, _history_row)),
                    variant="surface",
                    width="100%",
                    id="versions",
                ),
                width="100%",
                overflow_x="auto",
            ),
            rx.cond(
                PrivacyHistoryState.unknown,
                rx.callout(t("consent.history.unknown"), icon="info", color_scheme="amber", role="status"),
                rx.card(
                    rx.vstack(
                        rx.heading(t("consent.version"), " ", selected.version, as_="h2", size="5"),
                        version_line(PrivacyHistoryState.selected),
                        rx.cond(
                            selected.summary_nl != "",
                            rx.vstack(
                                rx.text(t("consent.what_changed"), weight="bold"),
                                rx.text(
                                    rx.cond(AppState.lang == "en", selected.summary_en, selected.summary_nl),
                                    white_space="pre-line",
                                ),
                                spacing="1",
                            ),
                        ),
                        statement_text(PrivacyHistoryState.selected, built_in_statement()),
                        spacing="3",
                        width="100%",
                    ),
                    width="100%",
                    id="selected-version",
                ),
            ),
            spacing="4",
            max_width="760px",
            width="100%",
        )
    )


def _logout() -> rx.Component:
    return rx.el.form(
        rx.button(t("app.logout"), type="submit", variant="outline", high_contrast=True, size="3"),
        action="/api/auth/logout",
        method="post",
        on_submit=None,
    )


def privacy_accept_page() -> rx.Component:
    due = rx.vstack(
        rx.heading(t("consent.accept.title"), as_="h1", size="7"),
        rx.text(t("consent.accept.intro")),
        notice_view(PrivacyAcceptState.accept_notice),
        rx.card(
            rx.vstack(
                version_line(PrivacyAcceptState.current),
                statement_text(PrivacyAcceptState.current, built_in_statement()),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="statement",
        ),
        rx.button(
            t("consent.accept.button"),
            on_click=PrivacyAcceptState.accept,
            size="3",
            high_contrast=True,
            id="accept",
            height="auto",  # the label wraps on a phone: the button grows with it
            min_height="44px",
            padding_y="0.5rem",
            white_space="normal",
        ),
        rx.separator(),
        rx.text(t("consent.accept.leave")),
        rx.flex(
            link_button("consent.accept.to_privacy_centre", "/privacy/me", variant="outline"),
            _logout(),
            gap="0.75rem",
            wrap="wrap",
        ),
        rx.link(t("consent.history.link"), href=HISTORY_PATH),
        spacing="4",
        max_width="760px",
        width="100%",
    )
    nothing = rx.vstack(
        rx.heading(t("consent.accept.title"), as_="h1", size="7"),
        rx.callout(t("consent.accept.nothing"), icon="circle_check", color_scheme="green", role="status"),
        link_button("consent.accept.continue", "/app"),
        spacing="4",
        max_width="760px",
    )
    return page_frame(
        rx.match(
            PrivacyAcceptState.access,
            ("due", due),
            ("nothing", nothing),
            ("anonymous", rx.text(t("consent.accept.sign_in"))),
            rx.fragment(),
        )
    )
