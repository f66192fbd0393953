"""The base state every page state inherits: identity from the session cookie, language, errors.

Identity is re-resolved from the HttpOnly cookie on every protected call (``_require``), so a
log-out elsewhere takes effect at once. Only display data is public; ids and roles stay ``_private``.
"""

from __future__ import annotations

import reflex as rx

from ogp_app.api.cookies import session_token_from_header
from ogp_app.db import session as db_session
from ogp_app.i18n import LANGUAGES, normalise_language
from ogp_app.models import Role, User
from ogp_app.services.errors import NotAuthenticated, PermissionDenied
from ogp_app.services.sessions import Identity, resolve_session

LANGUAGE_COOKIE = "ogp_lang"


class AppState(rx.State):
    """Display data of the signed-in person; the language of the page."""

    lang: str = rx.Cookie("nl", name=LANGUAGE_COOKIE, path="/", max_age=365 * 24 * 3600, same_site="lax")
    signed_in: bool = False
    display_name: str = ""
    school_name: str = ""
    is_school_admin: bool = False
    is_teacher: bool = False
    is_parent: bool = False
    _session_binding: str = ""  # see ogp_app.state.session_binding

    def _identity(self) -> Identity | None:
        return resolve_session(session_token_from_header(self.router.headers.cookie))

    def _require(self, *roles: Role, staff: bool = False) -> Identity:
        """The caller's identity, or raise. With roles: the caller must hold one at the session's school."""
        identity = self._identity()
        if identity is None:
            raise NotAuthenticated()
        if staff and not identity.is_staff:
            raise PermissionDenied("staff only")
        if roles and (identity.school_id is None or not identity.roles & {r.value for r in roles}):
            raise PermissionDenied("role required: " + ", ".join(r.value for r in roles))
        return identity

    def _show(self, identity: Identity | None) -> None:
        self.signed_in = identity is not None
        self.display_name = identity.display_name if identity else ""
        self.school_name = (identity.school_name or "") if identity else ""
        roles = identity.roles if identity else frozenset()
        self.is_school_admin = Role.SCHOOL_ADMIN.value in roles
        self.is_teacher = Role.TEACHER.value in roles
        self.is_parent = Role.PARENT.value in roles
        if identity is not None:
            self.lang = normalise_language(identity.language)

    @rx.event
    def load_session(self) -> None:
        """on_load of every page: show who is signed in (or nobody)."""
        self._show(self._identity())
        self.lang = normalise_language(self.lang)

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
