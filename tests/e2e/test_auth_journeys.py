"""Sign-in journeys in Chromium against the production build, with mail read from a real SMTP server.

(a) a school admin signs up, verifies from the e-mail, is made to enrol 2FA, logs out and in with TOTP;
(b) an invited parent signs in from the e-mail (GET shows a button, the POST signs in; twice: refused);
(c) a forgotten password is reset from the e-mail, then a person at two schools chooses one;
(d) a teacher signs in through the school's OIDC provider (oidc-provider-mock);
(e) the session cookie changes at every log-in. Every page: no third parties, no console errors, axe.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Route, expect
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import OneTimeToken, Role, School, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.auth import sso
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.sessions import hash_token, resolve_session
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    VIEWPORTS,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import (
    SESSION_COOKIE,
    enrol_second_factor,
    log_out_from_menu,
    main_heading,
    session_cookie,
    text,
)
from tests.support.accounts import OTHER_STRONG, STRONG
from tests.support.factories import Factory
from tests.support.smtp import SmtpServer
from tests.support.two_factor import next_code

pytestmark = pytest.mark.e2e


def at(watched: WatchedPage, path: str) -> None:
    expect(watched.page).to_have_url(re.compile(re.escape(watched.url(path)) + r"/?(\?.*)?$"))


def mails_to(smtp: SmtpServer, to: str) -> list:
    return [m for m in smtp.messages if to in str(m["To"])]


def wait_for_link(smtp: SmtpServer, to: str, path: str, *, after: int = 0, timeout: float = 30) -> str:
    """The path+query of the ``path`` link in the newest mail to ``to`` (the app sends every 5 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = mails_to(smtp, to)
        if len(found) > after:
            body = found[-1].get_body(("plain",)).get_content()
            match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\?token=[A-Za-z0-9_-]+)", body)
            assert match, body
            return match.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no mail to {to} with a {path} link within {timeout} s")


def check_page(watched: WatchedPage, name: str) -> None:
    """The page as it is now: one h1, no sideways scrolling, axe clean, screenshot."""
    assert watched.page.get_by_role("heading", level=1).count() == 1
    assert_no_horizontal_overflow(watched.page)
    assert_accessible(watched.page, name)
    size = watched.page.viewport_size
    viewport = "phone" if size is not None and size["width"] == PHONE["width"] else "desktop"
    save_screenshot(watched.page, f"{name}-{viewport}")


def click_and_load(watched: WatchedPage, name: str) -> None:
    with watched.expect_page_load():
        watched.page.get_by_role("button", name=name, exact=True).click()


def password_log_in(watched: WatchedPage, email: str, password: str) -> None:
    watched.goto("/login")
    form = watched.page.locator("form[action='/api/auth/login']")
    form.get_by_label(text("auth.email")).fill(email)
    form.get_by_label(text("auth.password")).fill(password)
    click_and_load(watched, text("login.submit"))


def token_row(raw_path: str) -> OneTimeToken:
    raw = raw_path.split("token=", 1)[1]
    with unscoped() as db:
        row = db.exec(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(raw))).one()
        db.expunge(row)
        return row


# --- (a) + (e) ------------------------------------------------------------------------------------


def test_school_admin_signs_up_verifies_enrols_and_logs_in_with_totp(
    open_page: OpenPage, app_smtp: SmtpServer, clean_db: None
) -> None:
    email = f"bea.{time.time_ns()}@vlinder.example"
    watched = open_page(PHONE)
    page = watched.page
    watched.goto("/signup")
    check_page(watched, "signup")
    page.get_by_label(text("signup.name")).fill("Bea Beheer")
    page.get_by_label(text("auth.email")).fill(email)
    page.get_by_label(text("auth.password")).fill(STRONG)
    page.get_by_label(text("signup.school_name")).fill("Basisschool De Vlinder")
    page.get_by_role("button", name=text("signup.submit")).click()
    expect(page.get_by_role("heading", name=text("signup.sent.title"))).to_be_visible()
    expect(page.get_by_text(email, exact=True)).to_be_visible()
    check_page(watched, "signup-sent")

    link = wait_for_link(app_smtp, email, "/verify")
    watched.goto(link)
    expect(main_heading(watched)).to_have_text(text("verify.title"))
    assert token_row(link).used_at is None, "opening the link must not use it up"
    check_page(watched, "verify")
    assert session_cookie(watched) is None
    with watched.expect_page_load():  # the verify route redirects to /account/two-factor
        page.get_by_role("button", name=text("verify.button")).click()
    first = session_cookie(watched)
    assert first is not None and first["httpOnly"]
    at(watched, "/account/two-factor")
    check_page(watched, "account-two-factor")

    # fail closed: until enrolled, /app sends the administrator back to the set-up
    watched.goto("/app")
    at(watched, "/account/two-factor")
    expect(main_heading(watched)).to_have_text(text("setup2fa.title"))

    # /app sends the admin of a school that is not set up yet to the onboarding wizard
    totp = enrol_second_factor(watched, lands_on="/school/onboarding")
    expect(main_heading(watched)).to_have_text(text("onboarding.title"))
    expect(page.get_by_label(text("onboarding.details.name"))).to_have_value("Basisschool De Vlinder")

    log_out_from_menu(watched)
    password_log_in(watched, email, STRONG)
    at(watched, "/login/two-factor")
    pending = session_cookie(watched)
    assert pending is not None and pending["value"] != first["value"]
    assert resolve_session(pending["value"]) is None, "a half log-in is no identity"
    check_page(watched, "login-two-factor")

    page.get_by_label(text("two_factor_prompt.code")).fill("000000" if totp.now() != "000000" else "111111")
    click_and_load(watched, text("two_factor_prompt.submit"))
    expect(page.get_by_role("alert")).to_have_text(text("auth.error.invalid_code"))
    check_page(watched, "login-two-factor-error")

    page.get_by_label(text("two_factor_prompt.code")).fill(next_code(totp))
    click_and_load(watched, text("two_factor_prompt.submit"))
    at(watched, "/school/onboarding")  # until the school is set up
    full = session_cookie(watched)
    assert full is not None and full["value"] not in {first["value"], pending["value"]}
    expect(main_heading(watched)).to_have_text(text("onboarding.title"))
    watched.watch.assert_clean()


# --- (b) + (e) ------------------------------------------------------------------------------------


@pytest.fixture
def school_with_admin(factory: Factory) -> tuple[School, User]:
    school = factory.school("Basisschool De Regenboog", slug=f"regenboog-{time.time_ns()}")
    admin = factory.member(
        school, Role.SCHOOL_ADMIN, factory.user(f"beheer.{time.time_ns()}@regenboog.example")
    )
    return school, admin


def test_invited_parent_signs_in_from_the_email(
    open_page: OpenPage, app_smtp: SmtpServer, school_with_admin: tuple[School, User], factory: Factory
) -> None:
    school, admin = school_with_admin
    email = f"ouder.{time.time_ns()}@example.org"
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        accounts.invite_member(
            db,
            school_id=school.id,
            inviter_user_id=admin.id,
            email=email,
            name="Olga Ouder",
            role="parent",
            language="nl",
        )
    link = wait_for_link(app_smtp, email, "/invitation")

    watched = open_page(DESKTOP)
    page = watched.page
    # a session planted before the log-in (fixation) must not survive it
    planted = factory.session_token(factory.user(), school)
    watched.context.add_cookies([{"name": SESSION_COOKIE, "value": planted, "url": watched.base_url}])
    watched.goto(link)
    expect(main_heading(watched)).to_have_text(text("invitation.title"))
    expect(page.get_by_text(school.name, exact=True)).to_be_visible()
    expect(page.get_by_text(text("app.role.parent"), exact=True)).to_be_visible()
    watched.reload()  # opening the link twice (a mail scanner, a second look) does not use it up
    assert token_row(link).used_at is None
    check_page(watched, "invitation")
    click_and_load(watched, text("invitation.button"))
    at(watched, "/app")
    expect(main_heading(watched)).to_contain_text("Olga Ouder")
    expect(page.get_by_text(text("app.role.parent"), exact=True)).to_be_visible()
    cookie = session_cookie(watched)
    assert cookie is not None and cookie["value"] != planted
    assert resolve_session(planted) is None

    again = open_page(PHONE)
    again.goto(link)
    expect(again.page.get_by_role("alert")).to_have_text(text("accounts.error.invalid_link"))
    expect(again.page.get_by_role("button", name=text("invitation.button"))).to_have_count(0)
    check_page(again, "invitation-used")
    assert session_cookie(again) is None
    watched.watch.assert_clean()
    again.watch.assert_clean()


# --- (c) + (e) ------------------------------------------------------------------------------------


def test_forgotten_password_then_choose_school(
    open_page: OpenPage, app_smtp: SmtpServer, school_with_admin: tuple[School, User], factory: Factory
) -> None:
    school, _ = school_with_admin
    other = factory.school("Basisschool De Klimop", slug=f"klimop-{time.time_ns()}")
    email = f"juf.{time.time_ns()}@example.org"
    user = factory.user(email, "Juf Jansen", password_hash=hash_password(STRONG), email_verified_at=utcnow())
    factory.member(school, Role.PARENT, user)
    factory.member(other, Role.TEACHER, user)

    watched = open_page(DESKTOP)
    page = watched.page
    watched.goto("/forgot-password")
    check_page(watched, "forgot-password")
    page.get_by_label(text("auth.email")).fill(email)
    page.get_by_role("button", name=text("forgot.submit")).click()
    expect(page.get_by_role("status")).to_have_text(text("auth.notice.reset_sent"))

    link = wait_for_link(app_smtp, email, "/reset-password")
    watched.goto(link)
    expect(main_heading(watched)).to_have_text(text("reset.title"))
    check_page(watched, "reset-password")
    page.get_by_label(text("reset.password")).fill(OTHER_STRONG)
    click_and_load(watched, text("reset.submit"))
    at(watched, "/login")
    expect(page.get_by_role("status")).to_have_text(text("auth.notice.password_reset"))

    password_log_in(watched, email, STRONG)  # the old password is gone
    expect(page.get_by_role("alert")).to_have_text(text("accounts.error.invalid_credentials"))
    check_page(watched, "login-error")
    assert session_cookie(watched) is None

    password_log_in(watched, email, OTHER_STRONG)
    at(watched, "/choose-school")
    first = session_cookie(watched)
    assert first is not None
    expect(page.get_by_role("heading", name=other.name)).to_be_visible()
    check_page(watched, "choose-school")
    card = page.locator(".rt-Card", has=page.get_by_role("heading", name=other.name))
    with watched.expect_page_load():
        card.get_by_role("button", name=text("choose.select")).click()
    at(watched, "/app")
    expect(page.get_by_text(other.name, exact=True)).to_be_visible()
    expect(page.get_by_text(text("app.role.teacher"), exact=True)).to_be_visible()
    second = session_cookie(watched)
    assert second is not None and second["value"] != first["value"]
    watched.watch.assert_clean()


# --- (d) + (e) ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def insecure_http_allowed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test provider speaks plain http on localhost (the served app is started allowing it too)."""
    monkeypatch.setenv("OGP_OIDC_ALLOW_INSECURE_HTTP", "true")
    monkeypatch.setenv("OGP_OIDC_ALLOW_PRIVATE_NETWORK", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_teacher_signs_in_through_the_schools_oidc_provider(
    open_page: OpenPage,
    provider: str,
    school_with_admin: tuple[School, User],
    factory: Factory,
    insecure_http_allowed: None,
) -> None:
    school, _ = school_with_admin
    assert school.id is not None
    email = f"meester.{time.time_ns()}@regenboog.example"
    factory.member(school, Role.TEACHER, factory.user(email, "Meester Bakker"))
    with school_session(school.id) as db:
        sso.configure_provider(
            db,
            school_id=school.id,
            issuer=provider,
            client_id="ogp-e2e",
            client_secret="s3cret-of-the-school",
            allowed_email_domain="regenboog.example",
            tenant_id=None,
            enabled=True,
        )
    httpx.put(f"{provider}/users/m1", json={"email": email, "email_verified": True}).raise_for_status()

    def via_provider(route: Route) -> None:
        """Our start route answers with a redirect to the provider; the teacher logs in there (its form
        POSTs ``sub``) and is sent back to our callback. The provider's own pages are not ours to check
        (they load a stylesheet from a CDN), so this hop runs outside the browser; the state cookie our
        start route set still travels with the browser, as it must."""
        started = route.fetch(max_redirects=0)
        assert started.status == 302, started.text()
        answer = httpx.post(started.headers["location"], data={"sub": "m1"})
        assert answer.status_code == 302, answer.text
        cookies = [h["value"] for h in started.headers_array if h["name"].lower() == "set-cookie"]
        assert len(cookies) == 1
        route.fulfill(status=302, headers={"location": answer.headers["location"], "set-cookie": cookies[0]})

    watched = open_page(DESKTOP)
    page = watched.page
    page.route(re.compile(re.escape(watched.url("/api/auth/oidc/start"))), via_provider)
    planted = factory.session_token(factory.user(), school)
    watched.context.add_cookies([{"name": SESSION_COOKIE, "value": planted, "url": watched.base_url}])
    watched.goto("/login")
    page.get_by_label(text("login.sso.school")).fill(school.slug)
    start = page.get_by_role("link", name=text("login.sso.submit"))
    expect(start).to_have_attribute("href", f"/api/auth/oidc/start?school={school.slug}")
    with watched.expect_page_load():
        start.click()
    at(watched, "/app")
    expect(main_heading(watched)).to_contain_text("Meester Bakker")
    expect(page.get_by_text(text("app.role.teacher"), exact=True)).to_be_visible()
    cookie = session_cookie(watched)
    assert cookie is not None and cookie["value"] != planted and resolve_session(planted) is None
    watched.watch.assert_clean()


def test_sign_in_link_from_the_login_page(
    open_page: OpenPage, app_smtp: SmtpServer, school_with_admin: tuple[School, User], factory: Factory
) -> None:
    school, _ = school_with_admin
    email = f"ouder.link.{time.time_ns()}@example.org"
    factory.member(school, Role.PARENT, factory.user(email, "Piet Ouder", email_verified_at=utcnow()))
    watched = open_page(PHONE)
    page = watched.page
    watched.goto("/login")
    check_page(watched, "login")
    form = page.locator("form").filter(has=page.get_by_role("button", name=text("login.link.submit")))
    form.get_by_label(text("auth.email")).fill(email)
    form.get_by_role("button", name=text("login.link.submit")).click()
    expect(page.get_by_role("status")).to_have_text(text("auth.notice.link_sent"))
    link = wait_for_link(app_smtp, email, "/sign-in")
    watched.goto(link)
    assert token_row(link).used_at is None
    check_page(watched, "sign-in")
    click_and_load(watched, text("signin.button"))
    at(watched, "/app")
    expect(main_heading(watched)).to_contain_text("Piet Ouder")
    assert token_row(link).purpose == TokenPurpose.SIGN_IN_LINK.value and token_row(link).used_at is not None
    watched.watch.assert_clean()


# --- every new page, empty-handed, on both sizes ----------------------------------------------------

LINK_PAGES = {
    "verify-invalid": "/verify?token=nope",
    "invitation-invalid": "/invitation",
    "sign-in-invalid": "/sign-in?token=nope",
    "confirm-email-invalid": "/confirm-email?token=nope",
    "reset-password-invalid": "/reset-password?token=nope",
    "login-two-factor-empty": "/login/two-factor",
    "signup-empty": "/signup",
    "forgot-password-empty": "/forgot-password",
    "login-locked": "/login?error=locked&minutes=15",
    "login-bogus-error": "/login?error=%3Cscript%3E",
}


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
@pytest.mark.parametrize("page_name", list(LINK_PAGES))
def test_auth_page(open_page: OpenPage, page_name: str, viewport_name: str) -> None:
    watched = open_page(VIEWPORTS[viewport_name])
    watched.goto(LINK_PAGES[page_name])
    if "invalid" in page_name:
        expect(watched.page.get_by_role("alert")).to_have_text(text("accounts.error.invalid_link"))
        expect(watched.page.locator("input[name=token]")).to_have_count(0)
    if page_name == "login-locked":
        expect(watched.page.get_by_role("alert")).to_have_text(
            text("accounts.error.locked").format(minutes=15)
        )
    if page_name == "login-bogus-error":
        expect(watched.page.get_by_role("alert")).to_have_text(text("error.generic"))
    check_page(watched, page_name)
    watched.watch.assert_clean()


def test_two_factor_setup_needs_a_session(open_page: OpenPage) -> None:
    watched = open_page(DESKTOP)
    watched.page.goto(watched.url("/account/two-factor"))
    at(watched, "/login")
    expect(watched.page.get_by_role("alert")).to_have_text(text("auth.error.not_signed_in"))
    watched.watch.assert_clean()
