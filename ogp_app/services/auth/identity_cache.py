"""A short-lived, server-side cache of resolved identities for hot page events (the /book page).

Resolving a session cookie costs about five queries (session, user, school, memberships, second factor)
plus two for the privacy-statement consent; a parent booking in a rush sends several events a second.
Here a resolved identity is kept in this process for ``TTL_SECONDS``, keyed by the SHA-256 of the
cookie token (the token itself is never stored), so it can only be had again by presenting the same
HttpOnly cookie on the websocket. Only identities that passed the consent check are cached.

What still takes effect at once: every cached use first checks, in one indexed query, that the session
row still exists, is a full log-in, is not expired or idle too long and belongs to the same person and
school. Log-out, log-out everywhere, account erasure and school purge all delete that row, so they stop
the next event. What may lag by up to ``TTL_SECONDS``: a role taken away, a school frozen, a newly
published privacy statement that needs consent. A page load resolves afresh (``fresh=True``): it takes
only an identity resolved at most ``FRESH_SECONDS`` ago, which is the one the same page load's
``load_session`` resolved just before (``remember_fresh``; a page open resolved it twice otherwise).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select

from ogp_app.core.db import get_engine
from ogp_app.core.db_driver import read_alone
from ogp_app.core.settings import get_settings
from ogp_app.models import AuthSession, SessionStage
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import Identity, resolve_session

TTL_SECONDS = 10.0
FRESH_SECONDS = 2.0
MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class _Entry:
    resolved: float  # time.monotonic()
    identity: Identity

    def usable(self, now: float, fresh: bool) -> bool:
        return now - self.resolved < (FRESH_SECONDS if fresh else TTL_SECONDS)


_cache: dict[str, _Entry] = {}
_lock = threading.Lock()


def _key(token: str) -> str:
    return hashlib.sha256(b"ogp-identity-cache\0" + token.encode()).hexdigest()


_SESSION = AuthSession.__table__  # type: ignore[attr-defined]
_LIVE = select(_SESSION.c.user_id, _SESSION.c.school_id).where(
    _SESSION.c.token_hash == bindparam("token_hash"),
    _SESSION.c.stage == SessionStage.FULL.value,
    _SESSION.c.expires_at > bindparam("now"),
    _SESSION.c.last_seen_at > bindparam("idle_since"),
)


def _still_live(token: str, identity: Identity) -> bool:
    """One indexed query: the session row is still there, full, unexpired, not idle, same person. It runs
    on its own, straight through the driver on PostgreSQL (no BEGIN and ROLLBACK round trips)."""
    now = utcnow()
    params = {
        "token_hash": hashlib.sha256(token.encode()).hexdigest(),
        "now": now,
        "idle_since": now - timedelta(hours=get_settings().session_idle_hours),
    }
    rows = read_alone(get_engine(), _LIVE, params)
    return bool(rows) and rows[0][0] == identity.user_id and rows[0][1] == identity.school_id


def remember_fresh(token: str | None, identity: Identity) -> None:
    """Keep an identity just resolved from ``token`` with ``resolve_session``, whose consent check passed."""
    if token and isinstance(token, str) and len(token) <= 128:
        _store(_key(token), identity)


def _store(key: str, identity: Identity) -> None:
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            now = time.monotonic()
            for stale in [k for k, e in _cache.items() if not e.usable(now, False)] or list(_cache):
                _cache.pop(stale, None)
        _cache[key] = _Entry(time.monotonic(), identity)


def forget(token: str | None) -> None:
    if token:
        with _lock:
            _cache.pop(_key(token), None)


def cached_identity(
    token: str | None, *, consent_due: Callable[[Identity], bool], fresh: bool = False
) -> tuple[Identity, bool] | None:
    """(identity, consent due) behind ``token`` (see the module's docstring), or None.

    Blocking: run it in a thread. ``consent_due`` is the caller's consent check; an identity for which
    it is true is not cached, so it is checked again on the next event.
    """
    if not token or not isinstance(token, str) or len(token) > 128:
        return None
    key = _key(token)
    entry = _cache.get(key)
    if entry is not None and entry.usable(time.monotonic(), fresh):
        if _still_live(token, entry.identity):
            return entry.identity, False
        forget(token)
        return None
    identity = resolve_session(token)
    if identity is None:
        forget(token)
        return None
    due = consent_due(identity)
    if not due:
        _store(key, identity)
    else:
        forget(token)
    return identity, due
