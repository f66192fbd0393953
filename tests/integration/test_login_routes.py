"""The log-in routes over HTTP: every way in rotates the session and passes the one second-factor decision.

Links: a GET of the page never consumes (the routes are POST-only); a used or expired token is refused.
Refusals redirect with ?error=<suffix> and never say whether an account exists. Cross-site POSTs: 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
import pytest
from sqlmodel import col, select, update
from starlette.testclient import TestClient

from ogp_app.api import build_api
from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.models import AuthSession, OneTimeToken, Role, School, SchoolStatus, SessionStage, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.auth import two_factor
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.sessions import resolve_pending_login, resolve_session
from ogp_app.services.errors import NotAuthenticated, SecondFactorSetupRequired
from ogp_app.state.base import AppState
from tests.support.accounts import OTHER_STRONG, STRONG, last_token
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor

COOKIE = "ogp_session"
ORIGIN = "http://localhost:3000"


def client(old_token: str | None = None) -> TestClient:
    c = TestClient(build_api(), base_url=ORIGIN, follow_redirects=False)
    if old_token:
        c.cookies.set(COOKIE, old_token)
    return c


def new_token(response: httpx.Response) -> str:
    token = response.cookies.get(COOKIE)
    assert token, f"no session cookie set: {response.status_code} {response.headers.get('location')}"
    return token


def location(response: httpx.Response) -> tuple[str, dict[str, list[str]]]:
    assert response.status_code == 303, response.status_code
    parts = urlsplit(response.headers["location"])
    return parts.path, parse_qs(parts.query)


def assert_rotated(response: httpx.Response, old: str) -> str:
    token = new_token(response)
    assert token != old
    assert resolve_session(old) is None and resolve_pending_login(old) is None
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    return token


def require_as(token: str, **kw: object):
    """AppState._require as an event handler runs it, with the cookie of ``token``."""
    fake = SimpleNamespace(_token=lambda: token)
    return AppState._require(fake, **kw)  # type: ignore[arg-type]


@pytest.fixture
def school(factory: Factory) -> School:
    return factory.school("De Regenboog", slug="regenboog")


def person(factory: Factory, school: School | None, role: Role, email: str = "ouder@example.org") -> User:
    user = factory.user(email, password_hash=hash_password(STRONG), email_verified_at=utcnow())
    if school is not None:
        factory.member(school, role, user)
    return user


def enrol(user: User) -> pyotp.TOTP:
    assert user.id is not None
    return enrol_two_factor(user.id, label=user.email).totp


def old_session(factory: Factory, school: School) -> str:
    return factory.session_token(factory.user(), school)


def password_login(c: TestClient, email: str = "ouder@example.org", password: str = STRONG) -> httpx.Response:
    return c.post("/api/auth/login", data={"email": email, "password": password})


# --- password ---------------------------------------------------------------------------------


def test_password_login_rotates_and_opens_the_only_school(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.PARENT)
    old = old_session(factory, school)
    response = password_login(client(old))
    assert location(response)[0] == "/app"
    identity = resolve_session(assert_rotated(response, old))
    assert identity is not None and identity.user_id == user.id and identity.school_id == school.id


def test_wrong_password_and_unknown_address_look_the_same(factory: Factory, school: School) -> None:
    person(factory, school, Role.PARENT)
    wrong = password_login(client(), password=OTHER_STRONG)
    unknown = password_login(client(), email="niemand@example.org")
    assert location(wrong) == location(unknown) == ("/login", {"error": ["invalid_credentials"]})
    assert COOKIE not in wrong.cookies and COOKIE not in unknown.cookies


def test_lockout_has_a_clear_message_with_minutes(factory: Factory, school: School) -> None:
    person(factory, school, Role.PARENT)
    for _ in range(10):
        password_login(client(), password=OTHER_STRONG)
    path, query = location(password_login(client()))  # even the right password now
    assert path == "/login" and query["error"] == ["locked"] and int(query["minutes"][0]) >= 1


def test_unverified_address_is_told_to_verify(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.PARENT)
    with unscoped() as db:
        db.exec(update(User).where(col(User.id) == user.id).values(email_verified_at=None))
        db.commit()
    assert location(password_login(client())) == ("/login", {"error": ["email_not_verified"]})


def test_admin_without_authenticator_may_only_enrol(factory: Factory, school: School) -> None:
    person(factory, school, Role.SCHOOL_ADMIN, "beheer@school.example")
    response = password_login(client(), "beheer@school.example")
    assert location(response)[0] == "/account/two-factor"
    token = new_token(response)
    with pytest.raises(SecondFactorSetupRequired):
        require_as(token)
    with pytest.raises(SecondFactorSetupRequired):
        require_as(token, staff=False)
    identity = require_as(token, allow_unenrolled=True)
    assert identity.second_factor_required and not identity.second_factor_enrolled


def test_person_at_two_schools_chooses_first(factory: Factory, school: School) -> None:
    other = factory.school("De Klimop", slug="klimop")
    user = person(factory, school, Role.PARENT)
    factory.member(other, Role.TEACHER, user)
    response = password_login(client())
    assert location(response)[0] == "/choose-school"
    identity = resolve_session(new_token(response))
    assert identity is not None and identity.school_id is None


# --- second factor ----------------------------------------------------------------------------


def test_enrolled_person_gets_a_pending_session_that_is_no_identity(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.SCHOOL_ADMIN, "beheer@school.example")
    totp = enrol(user)
    old = old_session(factory, school)
    response = password_login(client(old), "beheer@school.example")
    assert location(response)[0] == "/login/two-factor"
    pending = assert_rotated(response, old)
    assert resolve_session(pending) is None
    assert resolve_pending_login(pending) is not None
    for kwargs in ({}, {"allow_unenrolled": True}):
        with pytest.raises(NotAuthenticated):
            require_as(pending, **kwargs)
    # the pending cookie cannot switch schools or log out everywhere either
    c = client(pending)
    assert location(c.post("/api/auth/switch-school", data={"school_id": str(school.id)}))[0] == "/login"

    done = c.post("/api/auth/two-factor", data={"code": totp.now()})
    assert location(done)[0] == "/app"
    full = assert_rotated(done, pending)
    identity = require_as(full, allow_unenrolled=False)
    assert identity.user_id == user.id and identity.second_factor_enrolled
    with db_session() as db:
        stages = {s.stage for s in db.exec(select(AuthSession)).all()}
    assert SessionStage.SECOND_FACTOR.value not in stages


def test_wrong_and_replayed_codes_are_refused(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.TEACHER, "juf@school.example")
    totp = enrol(user)
    pending = new_token(password_login(client(), "juf@school.example"))
    c = client(pending)
    wrong = c.post("/api/auth/two-factor", data={"code": "000000" if totp.now() != "000000" else "111111"})
    assert location(wrong) == ("/login/two-factor", {"error": ["invalid_code"]})
    assert COOKIE not in wrong.cookies and resolve_pending_login(pending) is not None
    code = totp.now()
    assert location(c.post("/api/auth/two-factor", data={"code": code}))[0] == "/app"
    # the same code on a second log-in: refused (each step is accepted once)
    again = new_token(password_login(client(), "juf@school.example"))
    replay = client(again).post("/api/auth/two-factor", data={"code": code})
    assert location(replay) == ("/login/two-factor", {"error": ["invalid_code"]})
    assert resolve_session(again) is None


def test_recovery_code_works_once(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.TEACHER, "juf@school.example")
    assert user.id is not None
    enrol(user)
    with db_session() as db:
        codes = two_factor.regenerate_recovery_codes(db, user_id=user.id)
    first = client(new_token(password_login(client(), "juf@school.example")))
    assert location(first.post("/api/auth/two-factor", data={"code": codes[0]}))[0] == "/app"
    second = client(new_token(password_login(client(), "juf@school.example")))
    path, query = location(second.post("/api/auth/two-factor", data={"code": codes[0]}))
    assert (path, query["error"]) == ("/login/two-factor", ["invalid_code"])


def test_guessing_codes_is_rate_limited(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.TEACHER, "juf@school.example")
    totp = enrol(user)
    c = client(new_token(password_login(client(), "juf@school.example")))
    wrong = "000000" if totp.now() != "000000" else "111111"
    for _ in range(5):
        assert location(c.post("/api/auth/two-factor", data={"code": wrong}))[1]["error"] == ["invalid_code"]
    path, query = location(c.post("/api/auth/two-factor", data={"code": totp.now()}))
    assert path == "/login/two-factor" and query["error"] == ["second_factor_rate_limited"]
    assert int(query["minutes"][0]) >= 1


def test_two_factor_without_a_pending_session_starts_over(factory: Factory, school: School) -> None:
    full = factory.session_token(person(factory, school, Role.PARENT), school)
    for c in (client(), client(full), client("forged-token")):
        response = c.post("/api/auth/two-factor", data={"code": "123456"})
        assert location(response) == ("/login", {"error": ["session_expired"]})
        assert COOKIE not in response.cookies


# --- e-mail links -----------------------------------------------------------------------------


def _post_token(path: str, raw: str, old: str | None = None) -> httpx.Response:
    return client(old).post(path, data={"token": raw})


def test_verification_link_logs_the_new_admin_in_once(factory: Factory, school: School) -> None:
    with unscoped() as db:
        result = accounts.sign_up_school_admin(
            db,
            name="Bea Beheer",
            email="bea@school.example",
            password=STRONG,
            school_name="De Vlinder",
            language="nl",
        )
    raw = last_token("bea@school.example", "verify_email", "/verify")
    assert client().get("/api/auth/verify-email").status_code == 405  # only the button's POST consumes
    old = old_session(factory, school)
    response = _post_token("/api/auth/verify-email", raw, old)
    assert location(response)[0] == "/account/two-factor"  # admin: enrol first
    identity = resolve_session(assert_rotated(response, old))
    assert identity is not None and identity.school_id == result.school_id
    with unscoped() as db:
        assert db.get(School, result.school_id).status == SchoolStatus.ACTIVE.value  # type: ignore[union-attr]
    replay = _post_token("/api/auth/verify-email", raw)
    assert location(replay) == ("/verify", {"error": ["invalid_link"]}) and COOKIE not in replay.cookies


def _invite(factory: Factory, school: School, email: str = "ouder@example.org") -> str:
    admin = person(factory, school, Role.SCHOOL_ADMIN, "beheer@school.example")
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        accounts.invite_member(
            db,
            school_id=school.id,
            inviter_user_id=admin.id,
            email=email,
            name="Ouder",
            role="parent",
            language="nl",
        )
    return last_token(email, "invitation", "/invitation")


def test_invitation_signs_the_parent_in_once(factory: Factory, school: School) -> None:
    raw = _invite(factory, school)
    old = old_session(factory, school)
    response = _post_token("/api/auth/accept-invitation", raw, old)
    assert location(response)[0] == "/app"
    identity = resolve_session(assert_rotated(response, old))
    assert identity is not None and identity.roles == {"parent"} and identity.school_id == school.id
    replay = _post_token("/api/auth/accept-invitation", raw)
    assert location(replay) == ("/invitation", {"error": ["invalid_link"]}) and COOKIE not in replay.cookies


def test_invited_teacher_with_authenticator_still_needs_the_second_factor(
    factory: Factory, school: School
) -> None:
    teacher = person(factory, None, Role.TEACHER, "juf@school.example")
    enrol(teacher)
    raw = _invite(factory, school, "juf@school.example")
    response = _post_token("/api/auth/accept-invitation", raw)
    assert location(response)[0] == "/login/two-factor"
    assert resolve_session(new_token(response)) is None


def test_sign_in_link_works_once_and_not_after_expiry(factory: Factory, school: School) -> None:
    person(factory, school, Role.PARENT)
    with db_session() as db:
        accounts.request_sign_in_link(db, email="ouder@example.org", ip=None)
        accounts.request_sign_in_link(db, email="ouder@example.org", ip=None)
    old = old_session(factory, school)
    raw = last_token("ouder@example.org", "sign_in_link", "/sign-in")
    response = _post_token("/api/auth/sign-in", raw, old)
    assert location(response)[0] == "/app"
    assert_rotated(response, old)
    assert location(_post_token("/api/auth/sign-in", raw)) == ("/sign-in", {"error": ["invalid_link"]})

    with db_session() as db:
        accounts.request_sign_in_link(db, email="ouder@example.org", ip=None)
    expired = last_token("ouder@example.org", "sign_in_link", "/sign-in")
    with unscoped() as db:
        db.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    refused = _post_token("/api/auth/sign-in", expired)
    assert location(refused) == ("/sign-in", {"error": ["invalid_link"]}) and COOKIE not in refused.cookies


@pytest.mark.parametrize("junk", ["", "x" * 500, "not-a-token"])
def test_garbage_tokens_are_refused(clean_db: None, junk: str) -> None:
    for path, page in [
        ("/api/auth/verify-email", "/verify"),
        ("/api/auth/accept-invitation", "/invitation"),
        ("/api/auth/sign-in", "/sign-in"),
        ("/api/auth/confirm-email", "/confirm-email"),
    ]:
        response = _post_token(path, junk)
        assert location(response) == (page, {"error": ["invalid_link"]}) and COOKIE not in response.cookies


def test_password_reset_keeps_the_link_for_a_better_password(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.PARENT)
    signed_in = factory.session_token(user, school)
    with db_session() as db:
        accounts.request_password_reset(db, email="ouder@example.org", ip=None)
    raw = last_token("ouder@example.org", "password_reset", "/reset-password")
    weak = client().post("/api/auth/reset-password", data={"token": raw, "password": "kort"})
    path, query = location(weak)
    assert path == "/reset-password" and query == {"error": ["password_too_short"], "token": [raw]}
    done = client().post("/api/auth/reset-password", data={"token": raw, "password": OTHER_STRONG})
    assert location(done) == ("/login", {"notice": ["password_reset"]})
    assert resolve_session(signed_in) is None  # every session ended
    assert location(password_login(client(), password=OTHER_STRONG))[0] == "/app"
    again = client().post("/api/auth/reset-password", data={"token": raw, "password": STRONG})
    assert location(again) == ("/reset-password", {"error": ["invalid_link"]})


def test_email_change_is_confirmed_once(factory: Factory, school: School) -> None:
    user = person(factory, school, Role.PARENT)
    assert user.id is not None
    with db_session() as db:
        accounts.request_email_change(db, user_id=user.id, new_email="nieuw@example.org")
    raw = last_token("nieuw@example.org", "email_change", "/confirm-email")
    assert location(_post_token("/api/auth/confirm-email", raw)) == ("/confirm-email", {"done": ["1"]})
    with unscoped() as db:
        assert db.get(User, user.id).email == "nieuw@example.org"  # type: ignore[union-attr]
    assert location(_post_token("/api/auth/confirm-email", raw)) == (
        "/confirm-email",
        {"error": ["invalid_link"]},
    )


# --- school switch ----------------------------------------------------------------------------


def test_switch_school_only_to_own_schools_and_rotates(factory: Factory, school: School) -> None:
    other, foreign = factory.school("De Klimop", slug="klimop"), factory.school("Elders", slug="elders")
    user = person(factory, school, Role.PARENT)
    factory.member(other, Role.TEACHER, user)
    token = new_token(password_login(client()))
    response = client(token).post("/api/auth/switch-school", data={"school_id": str(other.id)})
    assert location(response)[0] == "/app"
    switched = assert_rotated(response, token)
    identity = resolve_session(switched)
    assert identity is not None and identity.school_id == other.id and identity.roles == {"teacher"}
    for value in (str(foreign.id), "999999", "-1", "abc", ""):
        refused = client(switched).post("/api/auth/switch-school", data={"school_id": value})
        assert location(refused) == ("/choose-school", {"error": ["forbidden"]})
        assert COOKIE not in refused.cookies
    assert resolve_session(switched).school_id == other.id  # type: ignore[union-attr]
    anonymous = client().post("/api/auth/switch-school", data={"school_id": str(school.id)})
    assert location(anonymous) == ("/login", {"error": ["not_signed_in"]})


# --- cross-site POSTs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://localhost:3001", "https://localhost:3000"]
)
def test_cross_origin_posts_are_refused_before_anything_happens(
    factory: Factory, school: School, origin: str
) -> None:
    person(factory, school, Role.PARENT)
    token = factory.session_token(factory.user(), school)
    c = client(token)
    for path in ("/api/auth/login", "/api/auth/logout", "/api/auth/logout-everywhere", "/api/auth/sign-in"):
        response = c.post(
            path, data={"email": "ouder@example.org", "password": STRONG}, headers={"Origin": origin}
        )
        assert response.status_code == 403 and "set-cookie" not in response.headers
    assert resolve_session(token) is not None  # no log-out happened


def test_same_origin_and_originless_posts_pass(factory: Factory, school: School) -> None:
    person(factory, school, Role.PARENT)
    assert get_settings().public_origin == ORIGIN
    same = client().post(
        "/api/auth/login", data={"email": "ouder@example.org", "password": STRONG}, headers={"Origin": ORIGIN}
    )
    assert location(same)[0] == "/app"
    assert location(password_login(client()))[0] == "/app"
    assert client().get("/api/health", headers={"Origin": "http://evil.example"}).status_code == 200


@pytest.fixture
def no_form(clean_db: None) -> Iterator[None]:
    yield


def test_malformed_bodies_are_plain_refusals(no_form: None) -> None:
    c = client()
    assert (
        location(
            c.post("/api/auth/login", content=b"\xff\xfe", headers={"content-type": "multipart/form-data"})
        )[0]
        == "/login"
    )
    assert (
        location(c.post("/api/auth/login", data={"email": ["a", "b"], "password": "x" * 10_000}))[0]
        == "/login"
    )
