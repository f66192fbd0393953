"""The /book page's identity cache: a log-out or an erased account stops the very next cached call."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlmodel import col, delete, select

from ogp_app.core.db import unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import AuthSession, Membership, Role
from ogp_app.models.base import utcnow
from ogp_app.services.auth import identity_cache
from ogp_app.services.auth.sessions import Identity, hash_token, revoke_all_sessions, revoke_session
from ogp_app.state.base import _session_view
from tests.support.factories import Factory


def _no_consent_due(_identity: Identity) -> bool:
    return False


def _lookup(token: str | None, *, fresh: bool = False) -> Identity | None:
    found = identity_cache.cached_identity(token, consent_due=_no_consent_due, fresh=fresh)
    return found[0] if found else None


def test_cached_identity_is_the_resolved_one_and_keyed_by_a_hash(factory: Factory) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    first = _lookup(token)
    assert first is not None and first.user_id == parent.id and first.roles == {"parent"}
    assert _lookup(token) == first
    assert token not in identity_cache._cache and identity_cache._key(token) in identity_cache._cache
    assert _lookup("x" * 43) is None and _lookup(None) is None


def test_log_out_stops_the_next_cached_call(factory: Factory) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    assert _lookup(token) is not None
    with unscoped() as db:
        revoke_session(db, token)
    assert _lookup(token) is None


def test_log_out_everywhere_and_idle_sessions_stop_the_next_cached_call(factory: Factory) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token, idle = factory.session_token(parent, school), factory.session_token(parent, school)
    assert _lookup(token) is not None and _lookup(idle) is not None
    with unscoped() as db:
        row = db.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(idle))).one()
        row.last_seen_at = utcnow() - timedelta(hours=12, minutes=1)
        db.add(row)
        db.commit()
    assert _lookup(idle) is None
    with unscoped() as db:
        revoke_all_sessions(db, user_id=parent.id or 0)
    assert _lookup(token) is None


def test_consent_due_is_reported_and_never_cached(factory: Factory) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    found = identity_cache.cached_identity(token, consent_due=lambda _i: True)
    assert found is not None and found[1] is True
    assert identity_cache._key(token) not in identity_cache._cache


def test_a_page_load_takes_only_the_identity_its_own_load_session_just_resolved(factory: Factory) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    identity = _session_view(f"{get_settings().session_cookie_name}={token}")[0]  # load_session's resolve
    assert identity is not None and identity_cache._key(token) in identity_cache._cache
    with unscoped() as db:  # the role goes after load_session: the page load's own handler may not see it
        db.exec(delete(Membership).where(col(Membership.user_id) == parent.id))
        db.commit()
    assert _lookup(token, fresh=True) == identity
    aged = identity_cache._Entry(time.monotonic() - identity_cache.FRESH_SECONDS - 0.1, identity)
    identity_cache._cache[identity_cache._key(token)] = aged
    assert _lookup(token) == identity  # a rush event: within the documented TTL the role may lag
    refreshed = _lookup(token, fresh=True)  # the next page load resolves afresh: no role left
    assert refreshed is not None and refreshed.roles == frozenset()
    with unscoped() as db:
        revoke_session(db, token)
    identity_cache.remember_fresh(token, identity)
    assert _lookup(token, fresh=True) is None  # a remembered identity still needs the live session row


def test_a_cached_identity_is_resolved_again_after_the_ttl(factory: Factory) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    identity = _lookup(token)
    assert identity is not None
    with unscoped() as db:
        db.exec(delete(Membership).where(col(Membership.user_id) == parent.id))
        db.commit()
    expired = identity_cache._Entry(time.monotonic() - identity_cache.TTL_SECONDS - 0.1, identity)
    identity_cache._cache[identity_cache._key(token)] = expired
    again = _lookup(token)
    assert again is not None and again.roles == frozenset()
