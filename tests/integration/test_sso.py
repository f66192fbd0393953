"""Sign-in with a school's OIDC provider, end to end against a real provider (oidc-provider-mock).

start -> provider authorize (POST sub) -> callback -> session cookie. Every refusal must leave no session.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from sqlalchemy import text
from sqlmodel import select
from starlette.testclient import TestClient

from ogp_app.api import build_api
from ogp_app.api.oidc import STATE_COOKIE
from ogp_app.core.db import TenantScopeMissing, school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.integrations import oidc
from ogp_app.models import AuthSession, OidcLoginAttempt, Role, School, SchoolIdentityProvider
from ogp_app.models.base import utcnow
from ogp_app.services.auth import rate_limit, sso
from ogp_app.services.auth.crypto import PURPOSE_OIDC_CLIENT_SECRET, PURPOSE_PKCE_VERIFIER, decrypt_secret
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.errors import InvalidInput
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor

CALLBACK = "/api/auth/oidc/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A real OIDC provider on localhost; its issuer is its own origin."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def other_provider() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(autouse=True)
def insecure_http_allowed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test provider speaks plain http on localhost."""
    monkeypatch.setenv("OGP_OIDC_ALLOW_INSECURE_HTTP", "true")
    monkeypatch.setenv("OGP_OIDC_ALLOW_PRIVATE_NETWORK", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def set_claims(issuer: str, sub: str, **claims: object) -> None:
    httpx.put(f"{issuer}/users/{sub}", json=claims).raise_for_status()


@dataclass
class Setting:
    school: School
    factory: Factory

    @property
    def school_id(self) -> int:
        assert self.school.id is not None
        return self.school.id

    def configure(self, issuer: str, **overrides: object) -> None:
        values: dict = dict(
            issuer=issuer,
            client_id=f"ogp-{self.school.slug}",
            client_secret="s3cret-of-the-school",
            allowed_email_domain="school.example",
            tenant_id=None,
            enabled=True,
        )
        values.update(overrides)
        with school_session(self.school_id) as db:
            sso.configure_provider(db, school_id=self.school_id, **values)


@pytest.fixture
def school_a(factory: Factory) -> Setting:
    return Setting(factory.school("De Regenboog", slug="regenboog"), factory)


@pytest.fixture
def school_b(factory: Factory) -> Setting:
    return Setting(factory.school("De Klimop", slug="klimop"), factory)


def client() -> TestClient:
    return TestClient(build_api(), base_url="http://localhost:3000", follow_redirects=False)


def start(c: TestClient, slug: str) -> str:
    response = c.get("/api/auth/oidc/start", params={"school": slug})
    assert response.status_code == 302, response.headers.get("location")
    return response.headers["location"]


def authorize(authorization_url: str, sub: str) -> str:
    """The person logs in at the provider; returns the callback URL the provider sends them to."""
    response = httpx.post(authorization_url, data={"sub": sub})
    assert response.status_code == 302, response.text
    return response.headers["location"]


def sign_in(c: TestClient, slug: str, sub: str) -> httpx.Response:
    return c.get(authorize(start(c, slug), sub))


def session_count() -> int:
    with unscoped() as db:
        return len(db.exec(select(AuthSession)).all())


@pytest.fixture
def audit(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level("INFO", logger="ogp_app.audit.sso"):
        yield caplog


def assert_refused(
    response: httpx.Response, audit: pytest.LogCaptureFixture | None = None, why: str = ""
) -> None:
    """A refusal looks the same to everyone; the audit log names the real reason."""
    assert response.status_code == 303
    assert response.headers["location"] == "/login?error=sso"
    assert "ogp_session=" not in response.headers.get("set-cookie", "")
    if audit is not None:
        messages = [r.getMessage() for r in audit.records if r.name == "ogp_app.audit.sso"]
        assert any(why in m for m in messages), messages
        audit.clear()


def teacher(setting: Setting, email: str = "juf.jansen@school.example", role: Role = Role.TEACHER) -> int:
    user = setting.factory.member(setting.school, role, setting.factory.user(email))
    assert user.id is not None
    return user.id


# --- the happy path -------------------------------------------------------------------------------------


def test_teacher_signs_in_and_gets_a_rotated_httponly_session(school_a: Setting, provider: str) -> None:
    user_id = teacher(school_a)
    school_a.configure(provider)
    set_claims(provider, "t1", email="Juf.Jansen@School.example", email_verified=True)
    c = client()
    old_token = school_a.factory.session_token(school_a.factory.user())
    c.cookies.set("ogp_session", old_token)

    response = sign_in(c, "regenboog", "t1")

    assert response.status_code == 303 and response.headers["location"] == "/app"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(v for v in cookies if v.startswith("ogp_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert any(v.startswith(f'{STATE_COOKIE}=""') for v in cookies)  # state cookie cleared
    token = session_cookie.split(";", 1)[0].split("=", 1)[1]
    identity = resolve_session(token)
    assert identity is not None
    assert (identity.user_id, identity.school_id, identity.roles) == (
        user_id,
        school_a.school_id,
        {"teacher"},
    )
    assert resolve_session(old_token) is None  # rotated
    assert session_count() == 1


def test_school_admin_may_sign_in_too(school_a: Setting, provider: str) -> None:
    user_id = teacher(school_a, "beheer@school.example", Role.SCHOOL_ADMIN)
    school_a.configure(provider)
    set_claims(provider, "a1", email="beheer@school.example")  # no email_verified claim at all: fine
    response = sign_in(client(), "regenboog", "a1")
    assert response.headers["location"] == "/account/two-factor"  # no authenticator yet: enrol first
    identity = resolve_session(response.cookies["ogp_session"])
    assert identity is not None and identity.user_id == user_id and identity.roles == {"school_admin"}
    assert identity.must_enrol_second_factor


def test_authorization_request_uses_pkce_s256_state_and_nonce(school_a: Setting, provider: str) -> None:
    school_a.configure(provider)
    c = client()
    query = parse_qs(urlsplit(start(c, "regenboog")).query)
    assert query["response_type"] == ["code"] and query["client_id"] == ["ogp-regenboog"]
    assert query["redirect_uri"] == [f"http://localhost:3000{CALLBACK}"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
    state = query["state"][0]
    assert c.cookies.get(STATE_COOKIE) == state
    with db_session() as db:
        attempt = db.exec(select(OidcLoginAttempt)).one()
    assert attempt.state_hash == hashlib.sha256(state.encode()).hexdigest()  # the state itself is not stored
    verifier = decrypt_secret(attempt.code_verifier_encrypted, purpose=PURPOSE_PKCE_VERIFIER)
    assert verifier not in attempt.code_verifier_encrypted
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [challenge]
    assert attempt.nonce == query["nonce"][0]
    assert attempt.expires_at - attempt.created_at == timedelta(minutes=10)


def test_tenant_id_is_checked_against_the_tid_claim(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    teacher(school_a)
    school_a.configure(provider, tenant_id="9188040d-6c67-4c5b-b112-36a304b66dad")
    set_claims(provider, "t1", email="juf.jansen@school.example", tid="00000000-0000-0000-0000-000000000000")
    assert_refused(sign_in(client(), "regenboog", "t1"), audit, "tenant")
    set_claims(provider, "t1", email="juf.jansen@school.example", tid="9188040d-6c67-4c5b-b112-36a304b66dad")
    assert sign_in(client(), "regenboog", "t1").headers["location"] == "/app"


# --- refusals: none of them may start a session ---------------------------------------------------------


def test_wrong_issuer_configured_is_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    """The provider's real issuer is its origin without a slash; one character off is not the same issuer."""
    teacher(school_a)
    school_a.configure(provider + "/")
    set_claims(provider, "t1", email="juf.jansen@school.example")
    response = client().get("/api/auth/oidc/start", params={"school": "regenboog"})
    assert_refused(response, audit, "discovery names issuer")
    assert session_count() == 0


def test_replayed_state_and_code_are_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    teacher(school_a)
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@school.example")
    c = client()
    callback = authorize(start(c, "regenboog"), "t1")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    assert c.get(callback).headers["location"] == "/app"
    assert session_count() == 1
    c.cookies.set(STATE_COOKIE, state, path=CALLBACK)  # even with the state cookie put back
    assert_refused(c.get(callback), audit, "already used")
    assert session_count() == 1


def test_callback_in_another_browser_is_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    """Login CSRF: an attacker's own callback URL opened in the victim's browser (no state cookie)."""
    teacher(school_a)
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@school.example")
    callback = authorize(start(client(), "regenboog"), "t1")
    assert_refused(client().get(callback), audit, "this browser")
    assert session_count() == 0


def test_email_outside_the_allowed_domain_is_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    teacher(school_a, "juf.jansen@gmail.example")  # the account exists, but not in the school's domain
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@gmail.example", email_verified=True)
    assert_refused(sign_in(client(), "regenboog", "t1"), audit, "domain gmail.example not allowed")
    assert session_count() == 0


def test_unverified_email_is_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    teacher(school_a)
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@school.example", email_verified=False)
    assert_refused(sign_in(client(), "regenboog", "t1"), audit, "not verified")
    assert session_count() == 0


@pytest.mark.parametrize(
    ("kind", "why"),
    [
        ("unknown", "no account"),
        ("parent", "not staff of this school"),
        ("staff", "is OGP staff"),
        ("no_email", "without a usable e-mail"),
    ],
)
def test_people_without_a_staff_membership_at_the_school_are_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture, kind: str, why: str
) -> None:
    email = "someone@school.example"
    if kind == "parent":
        teacher(school_a, email, Role.PARENT)
    if kind == "staff":  # OGP staff must use their own log-in with a second factor, even as a teacher
        school_a.factory.member(school_a.school, Role.TEACHER, school_a.factory.user(email, is_staff=True))
    school_a.configure(provider)
    set_claims(provider, "p1", **({} if kind == "no_email" else {"email": email}))
    assert_refused(sign_in(client(), "regenboog", "p1"), audit, why)
    assert session_count() == 0


def test_expired_attempt_is_refused(
    school_a: Setting, provider: str, audit: pytest.LogCaptureFixture
) -> None:
    teacher(school_a)
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@school.example")
    c = client()
    callback = authorize(start(c, "regenboog"), "t1")
    with unscoped() as db:
        db.connection().execute(
            text("UPDATE oidc_login_attempt SET expires_at = :t"), {"t": utcnow() - timedelta(seconds=1)}
        )
        db.commit()
    assert_refused(c.get(callback), audit, "expired")
    assert session_count() == 0


def test_second_schools_provider_cannot_sign_into_the_first_school(
    school_a: Setting,
    school_b: Setting,
    provider: str,
    other_provider: str,
    audit: pytest.LogCaptureFixture,
) -> None:
    teacher(school_a)  # a teacher of school A only
    school_a.configure(provider)
    school_b.configure(other_provider, allowed_email_domain=None)  # B's provider vouches for any address
    set_claims(other_provider, "evil", email="juf.jansen@school.example", email_verified=True)

    # via school B's own flow: the person is no teacher at B, and a session is only ever for B
    assert_refused(sign_in(client(), "klimop", "evil"), audit, f"school {school_b.school_id}: user")

    # mix-up: A's attempt (state, cookie) but the code comes from B's provider
    c = client()
    a_authorization = urlsplit(start(c, "regenboog"))
    at_b = a_authorization._replace(netloc=urlsplit(other_provider).netloc).geturl()
    assert_refused(c.get(authorize(at_b, "evil")), audit, "token request failed")
    assert session_count() == 0


def test_disabled_or_missing_provider_and_unknown_school_are_refused(
    school_a: Setting, provider: str
) -> None:
    assert_refused(client().get("/api/auth/oidc/start", params={"school": "regenboog"}))
    school_a.configure(provider, enabled=False)
    assert_refused(client().get("/api/auth/oidc/start", params={"school": "regenboog"}))
    assert_refused(client().get("/api/auth/oidc/start", params={"school": "nope"}))
    assert_refused(client().get("/api/auth/oidc/start"))
    with db_session() as db:
        assert db.exec(select(OidcLoginAttempt)).all() == []


def test_provider_error_and_garbage_callbacks_are_refused(school_a: Setting, provider: str) -> None:
    teacher(school_a)
    school_a.configure(provider)
    c = client()
    start(c, "regenboog")
    state = c.cookies.get(STATE_COOKIE)
    assert_refused(c.get(CALLBACK, params={"error": "access_denied", "state": state}))
    assert_refused(c.get(CALLBACK))
    assert_refused(c.get(CALLBACK, params={"state": state, "code": "made-up"}))
    assert_refused(c.get(CALLBACK, params={"state": "x" * 5000, "code": "y"}))
    assert session_count() == 0


def test_refusal_page_does_not_leak_the_reason(school_a: Setting, provider: str) -> None:
    teacher(school_a, "juf.jansen@gmail.example")
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@gmail.example")
    response = sign_in(client(), "regenboog", "t1")
    assert_refused(response)
    assert "gmail" not in response.text and "gmail" not in response.headers["location"]


# --- configuring a provider ------------------------------------------------------------------------------


def test_configure_validates_and_keeps_the_secret_encrypted(
    school_a: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    entra = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
    school_a.configure(entra, allowed_email_domain="@School.Example")
    with school_session(school_a.school_id) as db:
        shown = sso.provider_settings(db, school_id=school_a.school_id)
        assert shown is not None and shown.allowed_email_domain == "school.example"
        assert shown.issuer == entra and not hasattr(shown, "client_secret")
        row = db.connection().execute(text("SELECT * FROM school_identity_provider")).one()
    assert "s3cret-of-the-school" not in str(row)

    with pytest.raises(InvalidInput):  # a new issuer never receives the old secret
        school_a.configure("https://login.example", client_secret="")
    school_a.configure(entra, client_secret="", enabled=False)  # empty: keep the stored secret
    with school_session(school_a.school_id) as db:
        stored = db.exec(select(SchoolIdentityProvider)).one().client_secret_encrypted
    assert decrypt_secret(stored, purpose=PURPOSE_OIDC_CLIENT_SECRET) == "s3cret-of-the-school"

    bad: list[tuple[str, dict[str, object]]] = [
        ("ftp://login.example", {}),
        ("https://login.example/?x=1", {}),
        ("https://", {}),
        ("https://login.example", {"allowed_email_domain": "not a domain"}),
        ("https://login.example", {"allowed_email_domain": "localhost"}),
        ("https://login.example", {"tenant_id": "a b"}),
        ("https://login.example", {"client_id": " "}),
        ("https://login.example", {"client_secret": "x" * 1001}),
    ]
    for issuer, override in bad:
        with pytest.raises(InvalidInput):
            school_a.configure(issuer, **override)

    monkeypatch.setenv("OGP_OIDC_ALLOW_INSECURE_HTTP", "false")
    get_settings.cache_clear()
    with pytest.raises(InvalidInput):
        school_a.configure("http://login.example")


def test_provider_on_an_internal_address_is_refused(
    school_a: Setting, provider: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An admin cannot make the server fetch internal addresses (SSRF): not when configuring, and not at
    log-in for a provider that was configured while such addresses were allowed."""
    school_a.configure(provider)
    monkeypatch.setenv("OGP_OIDC_ALLOW_PRIVATE_NETWORK", "false")
    get_settings.cache_clear()
    for issuer in (
        provider,
        "http://127.0.0.1:5432",
        "http://169.254.169.254/latest",
        "http://10.0.0.7",
        "http://[::1]:6379",
        "http://[fd00::1]",
        "http://100.64.0.1",
    ):
        with pytest.raises(InvalidInput):
            school_a.configure(issuer)
    with db_session() as db, pytest.raises(sso.SsoError):
        sso.start_login(db, school_slug=school_a.school.slug)
    # A public address literal passes the check (nothing is fetched while configuring).
    oidc.require_secure_url("https://93.184.216.34/tenant", allow_http=False)


def test_starting_a_log_in_is_rate_limited_per_address(school_a: Setting, provider: str) -> None:
    school_a.configure(provider)
    slug = school_a.school.slug
    allowed = rate_limit.SSO_START_PER_IP.limit
    for _ in range(allowed):
        with db_session() as db:
            sso.start_login(db, school_slug=slug, ip="198.51.100.7")
    with db_session() as db, pytest.raises(rate_limit.RateLimited):
        sso.start_login(db, school_slug=slug, ip="198.51.100.7")
    with db_session() as db:  # another address is not held back
        assert sso.start_login(db, school_slug=slug, ip="198.51.100.8").url.startswith(provider)
    with unscoped() as db:
        assert len(db.exec(select(OidcLoginAttempt)).all()) == allowed + 1


def test_new_provider_needs_a_secret_and_a_school_scope(school_a: Setting, school_b: Setting) -> None:
    with pytest.raises(InvalidInput):
        school_a.configure("https://login.example", client_secret=None)
    with db_session() as db, pytest.raises(TenantScopeMissing):
        sso.configure_provider(
            db,
            school_id=school_a.school_id,
            issuer="https://login.example",
            client_id="x",
            client_secret="y",
            allowed_email_domain=None,
            tenant_id=None,
            enabled=True,
        )
    with school_session(school_b.school_id) as db, pytest.raises(TenantScopeMissing):
        sso.configure_provider(
            db,
            school_id=school_a.school_id,
            issuer="https://login.example",
            client_id="x",
            client_secret="y",
            allowed_email_domain=None,
            tenant_id=None,
            enabled=True,
        )


def test_teacher_with_an_authenticator_still_answers_the_second_factor(
    school_a: Setting, provider: str
) -> None:
    from ogp_app.services.auth.sessions import resolve_pending_login

    user_id = teacher(school_a)
    enrol_two_factor(user_id, label="juf")
    school_a.configure(provider)
    set_claims(provider, "t1", email="juf.jansen@school.example", email_verified=True)
    response = sign_in(client(), "regenboog", "t1")
    assert response.headers["location"] == "/login/two-factor"
    token = response.cookies["ogp_session"]
    assert resolve_session(token) is None
    pending = resolve_pending_login(token)
    assert pending is not None and pending.user_id == user_id and pending.school_id == school_a.school_id
