"""The /book page's identity cache: a log-out or an erased account stops the very next cached call."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import AuthSession, Role
from ogp_app.models.base import utcnow
from ogp_app.services.auth import identity_cache
from ogp_app.services.auth.sessions import Identity, hash_token, revoke_all_sessions, revoke_session
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
