"""/privacy/me: everything held about the signed-in person; download it; delete the account (or school).

Every handler re-reads identity from the session cookie; nothing names a user, school or row. The
download is a one-time ticket the handler creates and the browser fetches from /api/privacy/export.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, link_button, section, text_input
from ogp_app.components.text import t
from ogp_app.i18n import catalog
from ogp_app.models import Role
from ogp_app.pages.school_access_log import AccessLine, access_lines, access_table
from ogp_app.services.auth.passwords import MAX_LENGTH as PASSWORD_MAX
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.privacy import account_deletion, downloads, erasure
from ogp_app.services.privacy.account_deletion import Challenge
from ogp_app.services.privacy.view import AccessView, access_view
from ogp_app.state.base import AppState, billing_notice
from ogp_app.state.form_input import required_text

CODE_MAX = 12
T = TypeVar("T")
# Everything here is the caller's own: it crosses schools only along the person, or works on the session's
# own school row (a school's export ticket checks the admin role at that school itself).
ME = Access(
    allow_consent_due=True, unscoped="the person's data spans schools; every query filters by the person"
)
_SCHOOL_ROW = "School is the tenant row itself; the id comes from the session"
ADMIN = Access((Role.SCHOOL_ADMIN,), allow_consent_due=True, unscoped=_SCHOOL_ROW)
ADMIN_OF_FROZEN = Access(
    (Role.SCHOOL_ADMIN,), allow_consent_due=True, allow_frozen=True, unscoped=_SCHOOL_ROW
)


@dataclass(frozen=True)
class Labelled:
    """One row: up to two plain cells and a label in both languages (the page picks one)."""

    first: str
    second: str = ""
    nl: str = ""
    en: str = ""


def _both(key: str, fallback: str) -> tuple[str, str]:
    return catalog("nl").get(key, fallback), catalog("en").get(key, fallback)


class PrivacyCentreState(AppState):
    loaded: bool = False
    account_name: str = ""
    account_email: str = ""
    account_language: str = ""
    account_created: str = ""
    has_password: bool = False
    two_factor: bool = False
    memberships: list[Labelled] = []  # school, -, role
    children: list[Labelled] = []  # name, class, school in nl/en cells
    roster: list[Labelled] = []  # school, name, e-mail
    mails: list[Labelled] = []  # date, subject, status
    events: list[Labelled] = []  # date, -, event
    kinds: list[Labelled] = []  # table, rows, label
    disclosures: list[Labelled] = []  # date, authority, scope
    consents: list[Labelled] = []  # accepted at, version, document
    staff_access: list[AccessLine] = []  # OGP staff openings that included this person's data
    code_sent: bool = False
    school_frozen: bool = False
    purge_on: str = ""
    frozen_notice: Notice = NO_NOTICE
    confirm_school_delete: bool = False
    download_notice: Notice = NO_NOTICE
    delete_notice: Notice = NO_NOTICE
    school_notice: Notice = NO_NOTICE
    _challenge: Challenge | None = None
    school_code_sent: bool = False
    account_deleted: bool = False  # shows the goodbye and loads the cookie-dropping image
    _school_challenge: Challenge | None = None

    def _refresh(self, shown: _Shown) -> None:
        view = shown.view
        self._show_resolved(shown.identity, shown.billing)
        self.loaded = True
        self.account_name, self.account_email = view.name, view.email
        self.account_language, self.account_created = view.language, view.created
        self.has_password, self.two_factor = view.has_password, view.two_factor
        self.memberships = [Labelled(r.a, "", *_both(r.b, r.b)) for r in view.memberships]
        self.children = [Labelled(r.a, r.b, r.c, r.c) for r in view.children]
        self.roster = [Labelled(r.a, r.b, r.c, r.c) for r in view.roster]
        self.mails = [Labelled(r.a, r.b, *_both(f"privacy.mail.status.{r.c}", r.c)) for r in view.mails]
        self.events = [Labelled(r.a, "", *_both(f"privacy.event.{r.b}", r.b)) for r in view.events]
        self.kinds = [Labelled(r.a, r.b, *_both(f"privacy.table.{r.a}", r.a)) for r in view.kinds]
        self.disclosures = [Labelled(r.a, r.b, r.c, r.c) for r in view.disclosures]
        self.consents = [Labelled(r.a, r.b, *_both(f"consent.document.{r.c}", r.c)) for r in view.consents]
        self.staff_access = access_lines(view.staff_access)
        self.school_frozen, self.purge_on = view.school_frozen, view.purge_on
        self.frozen_notice = (
            notice("privacy.me.school.frozen", kind="error", date=view.purge_on)
            if view.school_frozen
            else NO_NOTICE
        )

    def _clear(self) -> None:
        self.loaded = self.code_sent = self.confirm_school_delete = self.school_frozen = False
        self.school_code_sent, self._school_challenge = False, None
        self.memberships, self.children, self.roster, self.mails, self.events, self.kinds = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        self.staff_access = []
        self.account_name = self.account_email = self.account_language = self.account_created = (
            self.purge_on
        ) = ""
        self.download_notice = self.delete_notice = self.school_notice = self.frozen_notice = NO_NOTICE
        self._challenge = None
        self.consents = []

    def _signed_out(self) -> None:
        self._clear()
        self._show(None)

    def _section(self, notice_var: str) -> AbstractContextManager[None]:
        """Around a section's handler: signed out clears the page; any other refusal is its notice."""
        return self._handled(deny=self._signed_out, notice=notice_var, forbidden_as_notice=True)

    @rx.event
    async def load_privacy(self) -> None:
        self._clear()
        self.account_deleted = False
        if self.router.url.query_parameters.get("error") == "download":
            self.download_notice = notice("privacy.error.download", kind="error")
        try:
            self._refresh(await self._call(ME, _shown_of))
        except NotAuthenticated:
            self._show(None)
        except PermissionDenied:  # signed in, but must enrol a second factor first: shows nothing
            pass

    async def _download(self, scope: str) -> EventSpec | None:
        access = ADMIN_OF_FROZEN if scope == "school" else ME
        with self._section("download_notice"):
            raw = await self._call(access, lambda call: _ticket(call, scope))
            self.download_notice = NO_NOTICE
            # An <a download> click: the browser saves the attachment and stays on this page.
            return rx.download(url=f"{downloads.PATH}?token={raw}", filename="")
        return None

    @rx.event
    async def download_mine(self) -> EventSpec | None:
        return await self._download("user")

    @rx.event
    async def download_school(self) -> EventSpec | None:
        return await self._download("school")

    @rx.event
    async def send_delete_code(self) -> None:
        with self._section("delete_notice"):
            self._challenge = await self._call(ME, _send_code)
            self.code_sent = True
            self.delete_notice = notice("privacy.delete.code_sent")

    @rx.event
    async def delete_account(self, form_data: dict[str, Any]) -> None:
        with self._section("delete_notice"):
            proof = _Proof(self.has_password, self._challenge)
            # unscoped: the erasure touches every school the person belongs to
            proved = await self._call(ME, lambda call: _erase_account(call, form_data, proof))
            self._challenge = proved.challenge
            proved.outcome()
            self._signed_out()
            # The session row is gone; the page now loads DROP_COOKIE, whose response clears the
            # HttpOnly cookie in this browser (a websocket event cannot).
            self.account_deleted = True

    @rx.event
    def ask_school_delete(self) -> None:
        """Show the confirm button (only to the school's admin)."""
        try:
            self._require(Role.SCHOOL_ADMIN, allow_consent_due=True, allow_frozen=True)
        except DomainError:
            return
        self.confirm_school_delete = True

    @rx.event
    def cancel_school_delete(self) -> None:
        self.confirm_school_delete = False

    @rx.event
    async def send_school_code(self) -> None:
        """For an admin without a password: e-mail a code that confirms deleting the school."""
        with self._section("school_notice"):
            self._school_challenge = await self._call(ADMIN, _send_school_code)
            self.school_code_sent = True
            self.school_notice = notice("privacy.delete.code_sent")

    @rx.event
    async def delete_school(self, form_data: dict[str, Any]) -> None:
        """Freeze the school for deletion, after the same proof as deleting an account."""
        with self._section("school_notice"):
            proof = _Proof(self.has_password, self._school_challenge)
            try:
                proved = await self._call(ADMIN, lambda call: _freeze_school(call, form_data, proof))
                self._school_challenge = proved.challenge
                shown = proved.outcome()
            except account_deletion.ProofWrong:
                self.school_notice = notice("privacy.me.school.proof_wrong", kind="error")
                return
            self.confirm_school_delete = self.school_code_sent = False
            self._school_challenge = None
            self._refresh(shown)
            self.school_notice = NO_NOTICE

    @rx.event
    async def undo_school_delete(self) -> None:
        with self._section("school_notice"):
            self._refresh(await self._call(ADMIN_OF_FROZEN, _undo_school_delete))
            self.confirm_school_delete = False
            self.school_notice = notice("privacy.me.school.undone")


# The blocking work of the handlers (in a worker thread; it touches no state). Form fields are read
# here, after the caller was checked, as before.


@dataclass(frozen=True)
class _Shown:
    """What the page shows, read in one go."""

    view: AccessView
    identity: Identity
    billing: tuple[str, str]  # the banner for the page frame (AppState._show_resolved)


@dataclass(frozen=True)
class _Proved(Generic[T]):
    """What a deletion behind a proof left: the code challenge the state keeps (None once answered, a try
    fewer after a wrong code), and what the deletion returned or the rule it broke once the code was
    answered (``outcome`` raises it, after the handler kept the challenge)."""

    challenge: Challenge | None
    done: T | None = None
    error: DomainError | None = None

    def outcome(self) -> T:
        if self.error is not None:
            raise self.error
        return cast(T, self.done)


@dataclass(frozen=True)
class _Proof:
    """The proof a deletion needs: the password (the deletion checks it) or, for a person without one,
    the code e-mailed for ``challenge``."""

    has_password: bool
    challenge: Challenge | None

    def then(self, form: Any, prefix: str, delete: Callable[[str, bool], T]) -> _Proved[T]:
        """``delete(password, code_ok)`` after the proof in the form's ``<prefix>_password``/``_code``."""
        password = required_text(form, f"{prefix}_password", PASSWORD_MAX)
        code = required_text(form, f"{prefix}_code", CODE_MAX)
        if self.has_password:
            return _Proved(self.challenge, delete(password, False))
        left = account_deletion.check_code(self.challenge, code)
        if left is not None:
            return _Proved(left, error=account_deletion.ProofWrong())
        try:
            return _Proved(None, delete(password, True))
        except DomainError as error:
            return _Proved(None, error=error)


def _shown_of(call: Call) -> _Shown:
    view = access_view(call.db, user_id=call.identity.user_id, school_id=call.identity.school_id)
    return _Shown(view, call.identity, billing_notice(call.identity))


def _ticket(call: Call, scope: str) -> str:
    identity = call.identity
    return downloads.create_ticket(
        call.db, user_id=identity.user_id, scope=scope, school_id=identity.school_id
    )


def _send_code(call: Call) -> Challenge:
    return account_deletion.send_code(call.db, user_id=call.identity.user_id)


def _send_school_code(call: Call) -> Challenge:
    identity = call.identity
    return account_deletion.send_code(
        call.db, user_id=identity.user_id, school_name=identity.school_name or ""
    )


def _erase_account(call: Call, form: Any, proof: _Proof) -> _Proved[None]:
    def delete(password: str, code_ok: bool) -> None:
        user_id = call.identity.user_id
        account_deletion.delete_own_account(call.db, user_id=user_id, password=password, code_ok=code_ok)

    return proof.then(form, "delete", delete)


def _freeze_school(call: Call, form: Any, proof: _Proof) -> _Proved[_Shown]:
    def delete(password: str, code_ok: bool) -> _Shown:
        user_id, school_id = call.identity.user_id, call.school_id
        account_deletion.delete_school(
            call.db, user_id=user_id, school_id=school_id, password=password, code_ok=code_ok
        )
        return _shown_of(call)

    return proof.then(form, "school", delete)


def _undo_school_delete(call: Call) -> _Shown:
    erasure.undo_school_deletion(call.db, school_id=call.school_id, actor_user_id=call.identity.user_id)
    return _shown_of(call)


# --- the page ---------------------------------------------------------------------------------------

S = PrivacyCentreState


def _label(row: Any) -> rx.Component:
    return rx.cond(AppState.lang == "en", row.en, row.nl)


def _table(
    headers: list[str], rows: Any, cells: Any, empty_key: str | None = None, id: str = ""
) -> rx.Component:
    table = rx.table.root(
        rx.table.header(rx.table.row(*(rx.table.column_header_cell(t(h)) for h in headers))),
        rx.table.body(rx.foreach(rows, lambda row: rx.table.row(*(rx.table.cell(c) for c in cells(row))))),
        variant="surface",
        size="1",
        width="100%",
        id=id,
    )
    wrapped = rx.box(table, overflow_x="auto", width="100%")
    if empty_key is None:
        return wrapped
    return rx.cond(rows.length() > 0, wrapped, rx.text(t(empty_key), color_scheme="gray"))


def _yes_no(flag: Any) -> rx.Component:
    return rx.cond(flag, t("privacy.me.yes"), t("privacy.me.no"))


def _account() -> rx.Component:
    def item(key: str, value: Any) -> rx.Component:
        return rx.data_list.item(
            rx.data_list.label(t(key)), rx.data_list.value(value, word_break="break-all")
        )

    return section(
        "privacy.me.account.title",
        rx.data_list.root(
            item("privacy.me.account.name", S.account_name),
            item("privacy.me.account.email", S.account_email),
            item(
                "privacy.me.account.language", rx.cond(S.account_language == "en", t("lang.en"), t("lang.nl"))
            ),
            item("privacy.me.account.created", S.account_created),
            item("privacy.me.account.password", _yes_no(S.has_password)),
            item("privacy.me.account.two_factor", _yes_no(S.two_factor)),
        ),
        rx.text(t("privacy.me.account.edit"), size="2"),
        link_button("privacy.me.account.edit_link", "/account", variant="outline"),
        _table(
            ["privacy.me.col.school", "privacy.me.col.role"],
            S.memberships,
            lambda r: [r.first, _label(r)],
            id="privacy-memberships",
        ),
        id="privacy-account",
    )


def _children() -> rx.Component:
    return section(
        "privacy.me.children.title",
        rx.text(t("privacy.me.children.help"), size="2"),
        _table(
            ["privacy.me.col.name", "privacy.me.col.class", "privacy.me.col.changed_by"],
            S.children,
            lambda r: [r.first, r.second, r.nl],
            "privacy.me.children.none",
            id="privacy-children",
        ),
        rx.cond(
            S.roster.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                rx.heading(t("privacy.me.roster.title"), as_="h3", size="3"),
                _table(
                    ["privacy.me.col.school", "privacy.me.col.name", "privacy.me.col.email"],
                    S.roster,
                    lambda r: [r.first, r.second, r.nl],
                ),
                width="100%",
            ),
        ),
        id="privacy-children-section",
    )


def _history() -> rx.Component:
    return rx.fragment(
        section(
            "privacy.me.mail.title",
            _table(
                ["privacy.me.col.date", "privacy.me.col.subject", "privacy.me.col.status"],
                S.mails,
                lambda r: [r.first, r.second, _label(r)],
                "privacy.me.mail.none",
            ),
            id="privacy-mail",
        ),
        section(
            "privacy.me.logins.title",
            _table(
                ["privacy.me.col.date", "privacy.me.col.event"],
                S.events,
                lambda r: [r.first, _label(r)],
                "privacy.me.logins.none",
            ),
            id="privacy-logins",
        ),
        rx.cond(
            S.disclosures.length() > 0,  # type: ignore[attr-defined]
            section(
                "privacy.me.disclosures.title",
                rx.text(t("privacy.me.disclosures.help"), size="2"),
                _table(
                    ["privacy.me.col.date", "privacy.me.col.authority", "privacy.me.col.scope"],
                    S.disclosures,
                    lambda r: [r.first, r.second, r.nl],
                    id="privacy-disclosures",
                ),
                id="privacy-disclosures-section",
            ),
        ),
        section(
            "consent.me.title",
            _table(
                ["privacy.me.col.date", "consent.me.col.version", "consent.me.col.document"],
                S.consents,
                lambda r: [r.first, r.second, _label(r)],
                "consent.me.none",
                id="privacy-consents",
            ),
            rx.link(t("consent.history.link"), href="/privacy/history"),
            id="privacy-consents-section",
        ),
        section(
            "access_log.me.title",
            rx.text(t("access_log.me.help"), size="2"),
            rx.cond(
                S.staff_access.length() > 0,  # type: ignore[attr-defined]
                access_table(S.staff_access, with_school=True),
                rx.text(t("access_log.me.none"), color_scheme="gray"),
            ),
            id="privacy-staff-access",
        ),
        section(
            "privacy.me.all.title",
            rx.text(t("privacy.me.all.help"), size="2"),
            _table(
                ["privacy.me.col.kind", "privacy.me.col.rows"],
                S.kinds,
                lambda r: [_label(r), r.second],
                id="privacy-kinds",
            ),
            id="privacy-all",
        ),
    )


def _download() -> rx.Component:
    return section(
        "privacy.me.download.title",
        rx.text(t("privacy.me.download.help")),
        rx.button(
            rx.icon("download", size=18),
            t("privacy.me.download.button"),
            on_click=S.download_mine,
            high_contrast=True,
            size="3",
        ),
        notice_view(S.download_notice),
        id="privacy-download",
    )


def _proof(prefix: str, send_code: Any, code_sent: Any) -> rx.Component:
    """The same proof for deleting an account or a school: the password again, or an e-mailed code."""
    return rx.cond(
        S.has_password,
        field(
            "privacy.me.delete.password",
            f"{prefix}_password",
            text_input(
                f"{prefix}_password", type="password", required=True, auto_complete="current-password"
            ),
        ),
        rx.vstack(
            rx.text(t("privacy.me.delete.no_password"), size="2"),
            rx.button(
                t("privacy.me.delete.send_code"),
                type="button",
                on_click=send_code,
                variant="outline",
                high_contrast=True,
                size="3",
            ),
            rx.cond(
                code_sent,
                field(
                    "privacy.me.delete.code",
                    f"{prefix}_code",
                    text_input(
                        f"{prefix}_code", required=True, auto_complete="one-time-code", input_mode="numeric"
                    ),
                ),
            ),
            width="100%",
        ),
    )


def _delete_account() -> rx.Component:
    proof = _proof("delete", S.send_delete_code, S.code_sent)
    return section(
        "privacy.me.delete.title",
        rx.text(t("privacy.me.delete.removed")),
        rx.text(t("privacy.me.delete.kept")),
        rx.text(t("privacy.me.delete.final"), weight="bold"),
        rx.el.form(
            rx.vstack(
                proof,
                rx.cond(
                    S.has_password | S.code_sent,
                    confirm_dialog(
                        rx.button(t("privacy.me.delete.button"), type="button", color_scheme="red", size="3"),
                        title_key="confirm.delete_account.title",
                        body=rx.fragment(
                            rx.text(t("confirm.delete_account.body")),
                            rx.text(t("privacy.me.delete.final"), weight="bold"),
                        ),
                        confirm_key="confirm.delete_account.action",
                        form_id="delete-account-form",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=S.delete_account,
            reset_on_submit=True,
            width="100%",
            id="delete-account-form",
        ),
        notice_view(S.delete_notice),
        id="privacy-delete",
    )


def _school() -> rx.Component:
    frozen = rx.vstack(
        rx.box(notice_view(S.frozen_notice), id="school-frozen", width="100%"),
        rx.button(t("privacy.me.school.undo"), on_click=S.undo_school_delete, high_contrast=True, size="3"),
        width="100%",
    )
    proof = _proof("school", S.send_school_code, S.school_code_sent)
    confirm = rx.el.form(
        rx.vstack(
            proof,
            rx.hstack(
                rx.cond(
                    S.has_password | S.school_code_sent,
                    confirm_dialog(
                        rx.button(
                            t("privacy.me.school.delete_confirm"), type="button", color_scheme="red", size="3"
                        ),
                        title_key="confirm.delete_school.title",
                        body=rx.fragment(
                            rx.text(AppState.school_name, weight="bold"),
                            rx.text(t("confirm.delete_school.body")),
                        ),
                        confirm_key="confirm.delete_school.action",
                        form_id="delete-school-form",
                    ),
                ),
                rx.button(
                    t("privacy.me.school.cancel"),
                    type="button",
                    on_click=S.cancel_school_delete,
                    variant="outline",
                    size="3",
                ),
                wrap="wrap",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=S.delete_school,
        reset_on_submit=True,
        width="100%",
        id="delete-school-form",
    )
    live = rx.vstack(
        rx.text(t("privacy.me.school.delete_help")),
        rx.cond(
            S.confirm_school_delete,
            confirm,
            rx.button(
                t("privacy.me.school.delete_button"),
                on_click=S.ask_school_delete,
                color_scheme="red",
                variant="outline",
                size="3",
            ),
        ),
        width="100%",
    )
    return section(
        "privacy.me.school.title",
        rx.text(t("privacy.me.school.export_help")),
        link_button("access_log.link", "/school/access-log", variant="outline"),
        rx.button(
            rx.icon("download", size=18),
            t("privacy.me.school.export_button"),
            on_click=S.download_school,
            variant="outline",
            high_contrast=True,
            size="3",
        ),
        rx.cond(S.school_frozen, frozen, live),
        notice_view(S.school_notice),
        id="privacy-school",
    )


DROP_COOKIE = "/api/auth/drop-dead-cookie"


def _deleted() -> rx.Component:
    return rx.vstack(
        rx.heading(t("privacy.me.deleted.title"), as_="h1", size="7"),
        rx.text(t("privacy.me.deleted.body")),
        link_button("privacy.me.deleted.home", "/"),
        rx.el.img(src=DROP_COOKIE, alt="", width="1", height="1", style={"position": "absolute"}),
        spacing="3",
        id="privacy-deleted",
    )


def privacy_centre_page() -> rx.Component:
    signed_in = rx.vstack(
        rx.heading(t("privacy.me.title"), as_="h1", size="7"),
        rx.text(t("privacy.me.intro")),
        _download(),
        _account(),
        _children(),
        _history(),
        rx.cond(AppState.is_school_admin, _school()),
        _delete_account(),
        spacing="4",
        width="100%",
    )
    signed_out = rx.vstack(
        rx.heading(t("privacy.me.title"), as_="h1", size="7"),
        rx.text(t("privacy.me.signed_out")),
        link_button("nav.login", "/login"),
        spacing="3",
    )
    return page_frame(
        rx.cond(
            S.account_deleted,
            _deleted(),
            rx.cond(S.loaded, signed_in, rx.cond(AppState.signed_in, rx.fragment(), signed_out)),
        )
    )
