"""Shared steps of the browser journeys."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import Locator, expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.i18n import catalog
from ogp_app.models import School, User
from ogp_app.services.development.demo import DEMO_ACCOUNTS, DEMO_SCHOOL_SLUG, seed_demo
from tests.e2e.conftest import WatchedPage
from tests.support.two_factor import enrol_two_factor

SESSION_COOKIE = "ogp_session"
LANGUAGE_COOKIE = "ogp_lang"


def text(key: str, language: str = "nl") -> str:
    return catalog(language)[key]


def seed_demo_school() -> None:
    with unscoped() as db:
        seed_demo(db)


def demo_user(role: str) -> User:
    with unscoped() as db:
        user = db.exec(select(User).where(User.email == DEMO_ACCOUNTS[role])).one()
        db.expunge(user)
        return user


def enrol_demo_account(role: str) -> pyotp.TOTP:
    """Give a demo account a confirmed authenticator (school admins need one to get in at all)."""
    user = demo_user(role)
    assert user.id is not None
    return enrol_two_factor(user.id, label=user.email).totp


def demo_school_name() -> str:
    with unscoped() as db:
        return db.exec(select(School.name).where(School.slug == DEMO_SCHOOL_SLUG)).one()


def main_heading(watched: WatchedPage) -> Locator:
    return watched.page.get_by_role("heading", level=1)


def demo_log_in(
    watched: WatchedPage,
    role: str,
    language: str = "nl",
    lands_on: str | None = None,
    totp: pyotp.TOTP | None = None,
) -> None:
    """On /login, press the demo button for ``role`` (and give the code of ``totp`` when asked for it);
    ends hydrated on ``lands_on``: by default /book for the parent (the demo round is open), else /app."""
    lands_on = lands_on or ("/book" if role == "parent" else "/app")
    watched.goto("/login")
    button = watched.page.get_by_role("button", name=text(f"login.demo.{role}", language), exact=True)
    with watched.expect_page_load():
        button.click()
    if totp is not None:
        expect(watched.page).to_have_url(re.compile(re.escape(watched.url("/login/two-factor")) + "/?$"))
        watched.page.get_by_label(text("two_factor_prompt.code", language)).fill(totp.now())
        with watched.expect_page_load():
            watched.page.get_by_role("button", name=text("two_factor_prompt.submit", language)).click()
    expect(watched.page).to_have_url(re.compile(re.escape(watched.url(lands_on)) + "/?$"))


def log_out(watched: WatchedPage, language: str = "nl") -> None:
    """Press "log out" in the main part of /app (the header has one too); ends hydrated on the front page."""
    main = watched.page.get_by_role("main")
    button = main.get_by_role("button", name=text("app.logout", language), exact=True)
    with watched.expect_page_load():
        button.click()
    expect(watched.page).to_have_url(re.compile(re.escape(watched.url("/")) + "$"))


def session_cookie(watched: WatchedPage) -> dict | None:
    for cookie in watched.context.cookies(watched.base_url):
        if cookie.get("name") == SESSION_COOKIE:
            return dict(cookie)
    return None


def enrol_second_factor(watched: WatchedPage, lands_on: str = "/app") -> pyotp.TOTP:
    """On /account/two-factor: read the key shown under the QR code, confirm a code, see 10 recovery codes.

    Ends on /app (the "continue" button), or where /app sends the person (``lands_on``: the onboarding
    wizard for the admin of a new school). Returns the authenticator for later log-ins.
    """
    page = watched.page
    expect(page).to_have_url(re.compile(re.escape(watched.url("/account/two-factor")) + "/?$"))
    expect(main_heading(watched)).to_have_text(text("setup2fa.title"))
    qr = page.get_by_role("img", name=text("setup2fa.qr_alt"))
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")  # drawn locally
    secret = page.locator("#two-factor-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label(text("setup2fa.code")).fill(totp.now())
    page.get_by_role("button", name=text("setup2fa.submit")).click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.locator("#two-factor-secret")).to_have_count(0)  # the key is gone once confirmed
    page.get_by_role("button", name=text("setup2fa.continue")).click()
    expect(page).to_have_url(re.compile(re.escape(watched.url(lands_on)) + "/?$"))
    return totp


def log_out_from_menu(watched: WatchedPage, language: str = "nl") -> None:
    """Log out with the header's "Menu" (a phone-width page without a log-out button of its own)."""
    page = watched.page
    page.get_by_role("button", name=text("nav.menu", language)).click()
    with watched.expect_page_load():
        page.get_by_role("dialog").get_by_role("button", name=text("app.logout", language)).click()
    expect(page).to_have_url(re.compile(re.escape(watched.url("/")) + "$"))


def answer_dialog(watched: WatchedPage, button_key: str, *, expect_text: str = "") -> None:
    """Answer the open confirmation dialog with ``button_key`` (its action, or ``confirm.cancel``)."""
    dialog = watched.page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    if expect_text:
        expect(dialog).to_contain_text(expect_text)
    dialog.get_by_role("button", name=text(button_key), exact=True).click()
    expect(dialog).to_have_count(0)
