"""HTTP log-in/log-out routes: cookie flags, rotation, revocation; demo log-in only in development."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.core.db import unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import AuthSession, Role
from ogp_app.services.auth.sessions import resolve_session
from tests.support.factories import Factory


def _client(app: Starlette) -> TestClient:
    return TestClient(
        SecurityHeadersMiddleware(app), base_url="http://localhost:3000", follow_redirects=False
    )


@pytest.fixture
def development(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OGP_ENV", "development")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _session_count() -> int:
    with unscoped() as db:
        return len(db.exec(select(AuthSession)).all())


def test_demo_login_is_absent_outside_development(factory: Factory) -> None:
    user = factory.user("admin@school.example")
    response = _client(build_api()).post("/api/dev/login", data={"email": user.email})
    assert response.status_code in (404, 405)
    assert "set-cookie" not in response.headers
    assert _session_count() == 0


def test_demo_login_sets_httponly_lax_cookie_and_rotates(development: None, factory: Factory) -> None:
    school = factory.school("De Regenboog")
    user = factory.member(school, Role.SCHOOL_ADMIN, factory.user("admin@school.example"))
    old_token = factory.session_token(user, school)
    client = _client(build_api())
    client.cookies.set("ogp_session", old_token)
    response = client.post("/api/dev/login", data={"email": "ADMIN@school.example "})
    # an administrator without an authenticator is sent to enrol one first
    assert response.status_code == 303 and response.headers["location"] == "/account/two-factor"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    new_token = cookie.split(";", 1)[0].split("=", 1)[1]
    assert new_token != old_token
    assert resolve_session(old_token) is None  # rotated: the pre-login session is gone
    identity = resolve_session(new_token)
    assert identity is not None and identity.user_id == user.id and identity.roles == {"school_admin"}


def test_demo_login_of_unknown_person_starts_no_session(development: None, factory: Factory) -> None:
    response = _client(build_api()).post("/api/dev/login", data={"email": "nobody@example.org"})
    assert response.status_code == 303 and "error=unknown" in response.headers["location"]
    assert "set-cookie" not in response.headers
    assert _session_count() == 0


def test_logout_revokes_the_session_and_clears_the_cookie(factory: Factory) -> None:
    user = factory.user()
    token, other_device = factory.session_token(user), factory.session_token(user)
    client = _client(build_api())
    client.cookies.set("ogp_session", token)
    response = client.post("/api/auth/logout")
    assert response.status_code == 303
    assert 'ogp_session=""' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]
    assert resolve_session(token) is None
    assert resolve_session(other_device) is not None


def test_logout_everywhere_ends_every_session_of_that_person(factory: Factory) -> None:
    user, bystander = factory.user(), factory.user()
    tokens = [factory.session_token(user) for _ in range(3)]
    theirs = factory.session_token(bystander)
    client = _client(build_api())
    client.cookies.set("ogp_session", tokens[0])
    assert client.post("/api/auth/logout-everywhere").status_code == 303
    assert all(resolve_session(t) is None for t in tokens)
    assert resolve_session(theirs) is not None


def test_logout_is_post_only(factory: Factory) -> None:
    token = factory.session_token(factory.user())
    client = _client(build_api())
    client.cookies.set("ogp_session", token)
    assert client.get("/api/auth/logout").status_code == 405
    assert resolve_session(token) is not None


def test_api_responses_carry_security_headers(clean_db: None) -> None:
    response = _client(build_api()).get("/api/health")
    assert response.json() == {"status": "ok", "database": "ok"}
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"  # never to other hosts
