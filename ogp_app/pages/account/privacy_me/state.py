"""/privacy/me: everything held about the signed-in person; download it; delete the account (or school).

Every handler re-reads identity from the session cookie; nothing names a user, school or row. The
download is a one-time ticket the handler creates and the browser fetches from /api/privacy/export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.i18n import catalog
from ogp_app.models import Role
from ogp_app.pages.account.sections import SectionedPageState
from ogp_app.pages.shared.access_lines import AccessLine, access_lines
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


class PrivacyCentreState(SectionedPageState, AppState):
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
        """Everything the page showed of the person, gone (the goodbye flag aside)."""
        self.loaded = self.has_password = self.two_factor = self.school_frozen = False
        self.code_sent = self.school_code_sent = self.confirm_school_delete = False
        self._challenge = self._school_challenge = None
        self.account_name = self.account_email = self.account_language = self.account_created = ""
        self.purge_on = ""
        self.memberships, self.children, self.roster, self.mails = [], [], [], []
        self.events, self.kinds, self.disclosures, self.consents = [], [], [], []
        self.staff_access = []
        self.download_notice = self.delete_notice = self.school_notice = self.frozen_notice = NO_NOTICE

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
