"""What a page event handler does before and around its service call, in one place: who is calling,
may they, and which database session the work gets.

Page states never open a session themselves (import-linter forbids it): they hand the boundary in
``ogp_app.state.base`` (``AppState._call``) a function of a :class:`Call` and an :class:`Access`, and get
back plain values. Everything here blocks; the boundary runs it in a worker thread.

Which session a call gets follows from its access: with roles, the session of the caller's school
(fail-closed tenant scope); without roles, a plain session that raises on school data (the person's own
rows); with ``unscoped`` set, the named escape hatch that sees every school. The session is opened on
first use of ``Call.db`` only, so a handler whose service opens its own pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import Self, TypeVar

from sqlmodel import Session

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as user_session
from ogp_app.models import Role
from ogp_app.services.auth import identity_cache
from ogp_app.services.auth.sessions import Identity, resolve_session
from ogp_app.services.errors import NotAuthenticated, PermissionDenied, SecondFactorSetupRequired
from ogp_app.services.privacy.statement import ConsentRequired, consent_due

T = TypeVar("T")


@dataclass(frozen=True)
class Access:
    """Who may run a handler's work, and with which session.

    ``roles``: one of them at the session's school (the school's session then). ``staff``: OGP staff only.
    ``allow_unenrolled``: part of enrolling the second factor; ``allow_consent_due``: may run before a
    changed privacy statement is accepted; ``allow_frozen``: may run while the school is being deleted.
    ``unscoped``: why the work crosses schools (a session that sees them all); "" for none.
    ``cached``: a hot handler (/book): the identity from ``identity_cache`` (see there what may lag);
    only without the ``allow_*`` flags. ``fresh``: resolve afresh even so (a page load).
    """

    roles: tuple[Role, ...] = ()
    staff: bool = False
    allow_unenrolled: bool = False
    allow_consent_due: bool = False
    allow_frozen: bool = False
    unscoped: str = ""
    cached: bool = False
    fresh: bool = False

    def __post_init__(self) -> None:
        if self.cached and (self.allow_unenrolled or self.allow_consent_due or self.allow_frozen):
            raise ValueError("a cached identity is only for enrolled, consenting callers of a live school")
        if self.fresh and not self.cached:
            raise ValueError("fresh only says how a cached access resolves (a page load): drop it or cache")


# The two roles most pages are for, at the session's school (the school's session).
SCHOOL_ADMIN = Access((Role.SCHOOL_ADMIN,))
TEACHER = Access((Role.TEACHER,))


@dataclass
class PublicCall:
    """A handler's work for anyone (signed in or not): a plain session, opened on first use, which
    raises on school data (``ogp_app.core.db.session``)."""

    _open: Callable[[], AbstractContextManager[Session]] = user_session
    _stack: ExitStack = field(default_factory=ExitStack)
    _db: Session | None = None

    @property
    def db(self) -> Session:
        if self._db is None:
            self._db = self._stack.enter_context(self._open())
        return self._db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()  # the session, if the work opened one


@dataclass
class Call(PublicCall):
    """The caller's identity and, on first use, the session its access grants."""

    identity: Identity = field(kw_only=True)

    @property
    def school_id(self) -> int:
        """The session's school; only for calls whose access names roles (which guarantee one)."""
        if self.identity.school_id is None:
            raise PermissionDenied("no school in this session")
        return self.identity.school_id


def run_call(token: str | None, access: Access, work: Callable[[Call], T]) -> T:
    """``work`` for the caller behind the session cookie ``token``, after ``access``'s checks. Blocking."""
    identity = authorize(token, access)
    with Call(_session_maker(identity, access), identity=identity) as call:
        return work(call)


def run_public(work: Callable[[PublicCall], T], unscoped_reason: str = "") -> T:
    """``work`` for a handler anyone may call (log-in, sign-up, public forms): no identity. Blocking.
    ``unscoped_reason``: why the work needs the session that sees every school (sign-up makes a tenant)."""
    with PublicCall(unscoped) if unscoped_reason else PublicCall() as call:
        return work(call)


def authorize(token: str | None, access: Access) -> Identity:
    """The identity behind ``token`` if ``access`` admits it; else NotAuthenticated or PermissionDenied
    (SecondFactorSetupRequired, ConsentRequired). Fails closed on the second factor and on consent."""
    due: bool | None = None  # consent due: the cache answers it; else asked only when it matters
    if access.cached:
        found = identity_cache.cached_identity(token, consent_due=consent_is_due, fresh=access.fresh)
        if found is None:
            raise NotAuthenticated()
        identity, due = found
    else:
        resolved = resolve_session(token)
        if resolved is None:
            raise NotAuthenticated()
        identity = resolved
    if identity.must_enrol_second_factor and not access.allow_unenrolled:
        raise SecondFactorSetupRequired()
    if not access.allow_consent_due and (consent_is_due(identity) if due is None else due):
        raise ConsentRequired()
    if access.staff and not identity.is_staff:
        raise PermissionDenied("staff only")
    if access.roles:
        identity.require_role(*access.roles, allow_frozen=access.allow_frozen)
    return identity


def _session_maker(identity: Identity, access: Access) -> Callable[[], AbstractContextManager[Session]]:
    if access.unscoped:
        return unscoped
    if access.roles:
        school_id = identity.school_id
        if school_id is None:  # require_role has refused this already; kept so the scope never widens
            raise PermissionDenied("no school in this session")
        return lambda: school_session(school_id)
    return user_session


def consent_is_due(identity: Identity) -> bool:
    """The person must accept a materially changed privacy statement before doing anything else."""
    with user_session() as db:
        return consent_due(db, user_id=identity.user_id)


def caller_only(call: Call) -> None:
    """The work of a handler that only needs the caller checked."""


def caller_identity(call: Call) -> Identity:
    """The work of a handler that needs only who is calling (checked), for the state to keep."""
    return call.identity
