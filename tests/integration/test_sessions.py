"""Server-side sessions: hashed at rest, resolved with roles of the session's school, expiring, revocable."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from ogp_app.api.cookies import session_token_from_header
from ogp_app.core.db import unscoped
from ogp_app.models import AuthSession, Role
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import hash_token, resolve_session, revoke_all_sessions
from tests.support.factories import Factory


def _stored(token: str) -> AuthSession:
    with unscoped() as db:
        row = db.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).one()
    return row


def test_token_is_random_256_bit_and_stored_only_as_hash(factory: Factory) -> None:
    user = factory.user()
    tokens = {factory.session_token(user) for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 43 for t in tokens)  # token_urlsafe(32): 32 bytes, 43 characters
    with unscoped() as db:
        stored = {row.token_hash for row in db.exec(select(AuthSession)).all()}
    assert not stored & tokens
    assert stored == {hash_token(t) for t in tokens}


def test_identity_carries_roles_of_the_session_school_only(factory: Factory) -> None:
    school_a, school_b = factory.school("A"), factory.school("B")
    person = factory.member(school_a, Role.TEACHER)
    factory.member(school_a, Role.SCHOOL_ADMIN, user=person)
    factory.member(school_b, Role.PARENT, user=person)
    identity = resolve_session(factory.session_token(person, school_a))
    assert identity is not None
    assert identity.school_id == school_a.id and identity.school_name == "A"
    assert identity.roles == {"teacher", "school_admin"}
    other = resolve_session(factory.session_token(person, school_b))
    assert other is not None and other.roles == {"parent"}


def test_unknown_malformed_and_oversized_tokens_resolve_to_nobody(factory: Factory) -> None:
    factory.session_token(factory.user())
    for token in (None, "", "x", "a" * 43, "a" * 5000, "'; DROP TABLE user; --"):
        assert resolve_session(token) is None


def test_idle_session_expires_after_12_hours_and_is_removed(factory: Factory) -> None:
    token = factory.session_token(factory.user())
    row = _stored(token)
    with unscoped() as db:
        row.last_seen_at = utcnow() - timedelta(hours=12, minutes=1)
        db.add(row)
        db.commit()
    assert resolve_session(token) is None
    with unscoped() as db:
        assert db.exec(select(AuthSession)).all() == []


def test_active_use_keeps_a_session_alive(factory: Factory) -> None:
    token = factory.session_token(factory.user())
    row = _stored(token)
    with unscoped() as db:
        row.last_seen_at = utcnow() - timedelta(hours=11)
        db.add(row)
        db.commit()
    assert resolve_session(token) is not None
    assert _stored(token).last_seen_at > utcnow() - timedelta(minutes=1)


def test_absolute_expiry_ends_even_an_active_session(factory: Factory) -> None:
    token = factory.session_token(factory.user())
    row = _stored(token)
    with unscoped() as db:
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)
        db.commit()
    assert resolve_session(token) is None


def test_revoke_all_logs_out_every_device_of_one_person_only(factory: Factory) -> None:
    me, other = factory.user(), factory.user()
    mine = [factory.session_token(me) for _ in range(3)]
    theirs = factory.session_token(other)
    with unscoped() as db:
        assert revoke_all_sessions(db, user_id=me.id) == 3  # type: ignore[arg-type]
    assert all(resolve_session(t) is None for t in mine)
    assert resolve_session(theirs) is not None


def test_cookie_header_parsing() -> None:
    assert session_token_from_header("a=1; ogp_session=tok-en_1; b=2") == "tok-en_1"
    assert session_token_from_header("ogp_sessionx=1") is None
    assert session_token_from_header("") is None
    assert session_token_from_header('bad="unterminated; ogp_session=x') in (None, "x")
