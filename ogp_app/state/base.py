"""The base state every page state inherits: identity from the session cookie, language, errors.

Identity is re-resolved from the HttpOnly cookie on every protected call (``_require``), so a
log-out elsewhere takes effect at once. Hot handlers (the /book page) use ``_require_cached``: the same
cookie, resolved at most every few seconds, the session row still checked on every call (see
``ogp_app.services.auth.identity_cache``). Only display data is public; ids and roles stay ``_private``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.api.cookies import cookie_from_header
from ogp_app.core.settings import get_settings
from ogp_app.i18n import LANGUAGE_COOKIE, LANGUAGES, normalise_language, translate
from ogp_app.models import Role
from ogp_app.services.accounts import account_settings
from ogp_app.services.auth import identity_cache
from ogp_app.services.auth.sessions import Identity, resolve_session
from ogp_app.services.billing.access import banner_for
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.handler_calls import (
    Access,
    Call,
    PublicCall,
    authorize,
    caller_identity,
    consent_is_due,
    run_call,
    run_public,
)
from ogp_app.state.notice import error_notice

TWO_FACTOR_SETUP_PATH = "/account/two-factor"
# Pages that need a signed-in person: an admin who still has to enrol is sent to the set-up from here.
_ENROLMENT_GATED_PREFIXES = ("/app", "/account", "/school", "/choose-school")
# After a material change of the privacy statement: signed-in pages send the person to accept it first.
CONSENT_PATH = "/privacy/accept"
_CONSENT_GATED_PREFIXES = (*_ENROLMENT_GATED_PREFIXES, "/book", "/teacher", "/review", "/staff", "/dev")
_CONSENT_EXEMPT = (CONSENT_PATH, "/account/two-factor")  # /privacy, its history and /privacy/me are not gated
T = TypeVar("T")


class AppState(rx.State):
    """Display data of the signed-in person; the language of the page."""

    lang: str = rx.Cookie("nl", name=LANGUAGE_COOKIE, path="/", max_age=365 * 24 * 3600, same_site="lax")
    signed_in: bool = False
    display_name: str = ""
    school_name: str = ""
    is_school_admin: bool = False
    is_teacher: bool = False
    is_parent: bool = False
    is_staff: bool = False  # OGP staff: shows the back-office link (the pages check again)
    school_frozen: bool = False  # the session's school is being deleted (see services.privacy.erasure)
    # Admins of a school whose payment is overdue or whose plan ended: the banner on every page (nl, en).
    billing_notice_nl: str = ""
    billing_notice_en: str = ""
    # Never set by a handler: the websocket guard sends them in its last message before it disconnects a
    # page that sent too much (ogp_app.websocket_guard); a reload starts from "" again.
    limit_notice_nl: str = ""
    limit_notice_en: str = ""
    _session_binding: str | None = None  # see ogp_app.state.session_binding (None: a new state)
    # True while an admin or staff member has no authenticator: pages send them to TWO_FACTOR_SETUP_PATH.
    must_enrol_second_factor: bool = False

    def _identity(self) -> Identity | None:
        return resolve_session(self._token())

    def _token(self) -> str | None:
        return session_token(self.router.headers.cookie)

    async def _call(self, access: Access, work: Callable[[Call], T]) -> T:
        """The handler boundary: ``work(call)`` for the caller, after ``access``'s checks, with the session
        it grants (see ``services.handler_calls``), in a worker thread: one client's queries do not
        hold up every other client's events. Checks and work make one thread trip (each trip costs the
        event loop a hand-over of the interpreter lock and a wake-up, paid per event in a rush)."""
        return await asyncio.to_thread(run_call, self._token(), access, work)

    async def _call_public(self, work: Callable[[PublicCall], T], *, unscoped: str = "") -> T:
        """``_call`` for handlers anyone may use (log-in, sign-up, public forms): no identity, a plain
        session (no school data) on first use of ``call.db``, in a worker thread. ``unscoped``: why the
        work needs the escape hatch instead (as ``Access.unscoped``; sign-up makes a new tenant)."""
        return await asyncio.to_thread(run_public, work, unscoped)

    @contextmanager
    def _handled(
        self,
        *,
        deny: Callable[[], None] | None = None,
        notice: str = "",
        forbidden_as_notice: bool = False,
    ) -> Iterator[None]:
        """Around a handler's body: a caller who is not signed in or may not do this is denied (``deny``,
        by default the page's state is reset: it shows nothing it showed before); any other rule the work
        broke becomes the notice var named ``notice`` (without one it propagates). The body stops at the
        first error, so what follows a call inside the block runs only when it succeeded.
        ``forbidden_as_notice``: a refusal for a signed-in person (PermissionDenied) is shown as a notice
        instead (pages whose sections differ per role)."""
        try:
            yield
        except NotAuthenticated:
            (deny or self.reset)()
        except PermissionDenied as error:
            if forbidden_as_notice and notice:
                setattr(self, notice, error_notice(error))
            else:
                (deny or self.reset)()
        except DomainError as error:
            if not notice:
                raise
            setattr(self, notice, error_notice(error))

    def _require(
        self,
        *roles: Role,
        staff: bool = False,
        allow_unenrolled: bool = False,
        allow_consent_due: bool = False,
        allow_frozen: bool = False,
    ) -> Identity:
        """The caller's identity, or raise (see ``handler_calls.authorize``): for handlers that do no
        database work of their own. Blocking: in async handlers use ``_call``."""
        access = Access(roles, staff, allow_unenrolled, allow_consent_due, allow_frozen)
        return authorize(self._token(), access)

    async def _require_cached(self, *roles: Role, fresh: bool = False) -> Identity:
        """``_require`` for hot handlers, from ``identity_cache`` (enrolled, consent given, school live)."""
        return await self._call(Access(roles, cached=True, fresh=fresh), caller_identity)

    def _show(self, identity: Identity | None) -> None:
        self._show_resolved(identity, billing_notice(identity))

    def _show_resolved(self, identity: Identity | None, billing_notice: tuple[str, str]) -> None:
        self.signed_in = identity is not None
        self.display_name = identity.display_name if identity else ""
        self.school_name = (identity.school_name or "") if identity else ""
        roles = identity.roles if identity else frozenset()
        self.is_school_admin = Role.SCHOOL_ADMIN.value in roles
        self.is_teacher = Role.TEACHER.value in roles
        self.is_parent = Role.PARENT.value in roles
        self.is_staff = identity.is_staff if identity else False
        self.school_frozen = identity.school_frozen if identity else False
        self.must_enrol_second_factor = identity.must_enrol_second_factor if identity else False
        self.billing_notice_nl, self.billing_notice_en = billing_notice
        if identity is not None:
            self.lang = normalise_language(identity.language)

    @rx.event
    async def load_session(self) -> EventSpec | None:
        """on_load of every page: show who is signed in (or nobody).

        Someone who must enrol a second factor first is sent from signed-in pages to the set-up.
        The queries run in a worker thread: page loads of many people at once do not queue behind
        one another on the event loop.
        """
        identity, billing, consent_due = await asyncio.to_thread(_session_view, self.router.headers.cookie)
        self._show_resolved(identity, billing)
        self.lang = normalise_language(self.lang)
        path = self.router.url.path.rstrip("/") or "/"
        gated = any(path == p or path.startswith(p + "/") for p in _ENROLMENT_GATED_PREFIXES)
        if self.must_enrol_second_factor and gated and path != TWO_FACTOR_SETUP_PATH:
            return rx.redirect(TWO_FACTOR_SETUP_PATH)
        consent_gated = any(path == p or path.startswith(p + "/") for p in _CONSENT_GATED_PREFIXES)
        if identity is not None and consent_gated and path not in _CONSENT_EXEMPT and consent_due:
            return rx.redirect(f"{CONSENT_PATH}?next={path}")
        return None

    @rx.event
    async def set_language(self, language: str) -> None:
        """Switch the page language; remembered per account when signed in, else by cookie."""
        if not isinstance(language, str) or language not in LANGUAGES:
            return
        self.lang = language
        with self._handled(deny=_signed_out):  # signed out: the cookie alone remembers it
            everyone = Access(allow_unenrolled=True, allow_consent_due=True, allow_frozen=True)
            await self._call(everyone, lambda c: account_settings.set_language(c.db, c.identity, language))


def _session_view(cookie_header: str | None) -> tuple[Identity | None, tuple[str, str], bool]:
    """What ``load_session`` shows: the identity, the billing banner, whether consent is due. Blocking."""
    token = session_token(cookie_header)
    identity = resolve_session(token)
    if identity is None:
        return None, ("", ""), False
    due = consent_is_due(identity)
    if not due:  # the page's own on_load handlers that come next need not resolve it again
        identity_cache.remember_fresh(token, identity)
    return identity, billing_notice(identity), due


def session_token(cookie_header: str | None) -> str | None:
    """The session token in the connection's Cookie header, parsed once per header: every event of a page
    asks for it (about 26 µs a parse). The header, token included, is held by every state's router data
    anyway."""
    return _cookie(cookie_header, get_settings().session_cookie_name)


@lru_cache(maxsize=4096)
def _cookie(cookie_header: str | None, name: str) -> str | None:
    return cookie_from_header(cookie_header, name)


def _signed_out() -> None:
    """A refusal that needs no reset: the handler changed nothing that was not the caller's own."""


def billing_notice(identity: Identity | None) -> tuple[str, str]:
    """The billing banner for a school admin in both languages, or empty texts for everyone else.
    Blocking (it reads the person's school): a page's work calls it in the worker thread and passes the
    result to ``_show_resolved``."""
    banner = banner_for(identity) if identity is not None else None
    if banner is None:
        return "", ""
    return (
        translate(banner.message_key, "nl", days=banner.days_left),
        translate(banner.message_key, "en", days=banner.days_left),
    )
