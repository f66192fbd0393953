"""The base state every page state inherits: identity from the session cookie, language, errors.

Identity is re-resolved from the HttpOnly cookie on every protected call (``_require``), so a
log-out elsewhere takes effect at once. Hot handlers (the /book page) use ``_require_cached``: the same
cookie, resolved at most every few seconds, the session row still checked on every call (see
``ogp_app.state.identity_cache``). Only display data is public; ids and roles stay ``_private``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.api.cookies import session_token_from_header
from ogp_app.core.db import school_session
from ogp_app.core.db import session as db_session
from ogp_app.i18n import LANGUAGE_COOKIE, LANGUAGES, normalise_language, translate
from ogp_app.models import Role, User
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import Identity, resolve_session
from ogp_app.services.billing.access import billing_banner
from ogp_app.services.errors import NotAuthenticated, PermissionDenied, SecondFactorSetupRequired
from ogp_app.services.privacy.statement import ConsentRequired, consent_due
from ogp_app.state import identity_cache

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
        return resolve_session(session_token_from_header(self.router.headers.cookie))

    def _require(
        self,
        *roles: Role,
        staff: bool = False,
        allow_unenrolled: bool = False,
        allow_consent_due: bool = False,
        allow_frozen: bool = False,
    ) -> Identity:
        """The caller's identity, or raise. With roles: the caller must hold one at the session's school
        (and the school is not being deleted, unless ``allow_frozen``: see ``Identity.require_role``).

        Fails closed on the second factor: whoever must use one and has not enrolled yet gets
        SecondFactorSetupRequired, unless the handler is part of the enrolment (``allow_unenrolled``).
        Likewise whoever must accept a materially changed privacy statement gets ConsentRequired, unless
        the handler lets them accept it or leave (``allow_consent_due``: the privacy centre, the accept page).
        """
        identity = self._identity()
        if identity is None:
            raise NotAuthenticated()
        if identity.must_enrol_second_factor and not allow_unenrolled:
            raise SecondFactorSetupRequired()
        if not allow_consent_due and _consent_due(identity):
            raise ConsentRequired()
        _check_role(identity, roles, staff=staff, allow_frozen=allow_frozen)
        return identity

    async def _require_cached(self, *roles: Role, fresh: bool = False) -> Identity:
        """``_require`` for hot handlers (no flags: enrolled, consent given, school not frozen).

        The database work runs in a worker thread, so one client's queries do not hold up every other
        client's events; the identity comes from ``identity_cache`` (the same cookie, re-checked against
        the session row on every call; see there for what may lag and by how much). ``fresh`` resolves
        it from the database as ``_require`` does (a page load).
        """
        return await self._as_cached(roles, _same, fresh=fresh)

    async def _as_cached(
        self, roles: tuple[Role, ...], work: Callable[[Identity], T], *, fresh: bool = False
    ) -> T:
        """``work(identity)`` after ``_require_cached``'s checks, both in one worker-thread trip: each trip
        costs the event loop a hand-over of the interpreter lock and a wake-up, paid per event in a rush."""
        token = session_token_from_header(self.router.headers.cookie)
        return await asyncio.to_thread(_cached_then, token, roles, fresh, work)

    def _show(self, identity: Identity | None) -> None:
        self._show_resolved(identity, _billing_notice(identity))

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
    def set_language(self, language: str) -> None:
        """Switch the page language; remembered per account when signed in, else by cookie."""
        if not isinstance(language, str) or language not in LANGUAGES:
            return
        self.lang = language
        identity = self._identity()
        if identity is None:
            return
        with db_session() as db:
            user = db.get(User, identity.user_id)
            if user is not None:
                user.preferred_language = language
                db.add(user)
                db.commit()


def _session_view(cookie_header: str | None) -> tuple[Identity | None, tuple[str, str], bool]:
    """What ``load_session`` shows: the identity, the billing banner, whether consent is due. Blocking."""
    identity = resolve_session(session_token_from_header(cookie_header))
    if identity is None:
        return None, ("", ""), False
    return identity, _billing_notice(identity), _consent_due(identity)


def _same(identity: Identity) -> Identity:
    return identity


def _cached_then(token: str | None, roles: tuple[Role, ...], fresh: bool, work: Callable[[Identity], T]) -> T:
    """Blocking part of ``_as_cached``: the cached identity, its checks, then ``work``."""
    found = identity_cache.cached_identity(token, consent_due=_consent_due, fresh=fresh)
    if found is None:
        raise NotAuthenticated()
    identity, consent_due_now = found
    if identity.must_enrol_second_factor:
        raise SecondFactorSetupRequired()
    if consent_due_now:
        raise ConsentRequired()
    _check_role(identity, roles, staff=False, allow_frozen=False)
    return work(identity)


def _check_role(identity: Identity, roles: tuple[Role, ...], *, staff: bool, allow_frozen: bool) -> None:
    if staff and not identity.is_staff:
        raise PermissionDenied("staff only")
    if roles:
        identity.require_role(*roles, allow_frozen=allow_frozen)


def _consent_due(identity: Identity) -> bool:
    """The person must accept a materially changed privacy statement before doing anything else."""
    with db_session() as db:
        return consent_due(db, user_id=identity.user_id)


def _billing_notice(identity: Identity | None) -> tuple[str, str]:
    """The billing banner for a school admin in both languages, or empty texts for everyone else."""
    if identity is None or identity.school_id is None or Role.SCHOOL_ADMIN.value not in identity.roles:
        return "", ""
    with school_session(identity.school_id) as db:
        banner = billing_banner(db, school_id=identity.school_id, roles=identity.roles, now=utcnow())
    if banner is None:
        return "", ""
    return (
        translate(banner.message_key, "nl", days=banner.days_left),
        translate(banner.message_key, "en", days=banner.days_left),
    )
