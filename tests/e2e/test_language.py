"""Dutch first, English on request: by cookie when signed out, on the account when signed in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import WatchedPage
from tests.e2e.journeys import (
    LANGUAGE_COOKIE,
    demo_log_in,
    demo_user,
    log_out,
    main_heading,
    seed_demo_school,
    text,
)

pytestmark = pytest.mark.e2e


def _language_cookie(watched: WatchedPage) -> str | None:
    values = [
        c.get("value") for c in watched.context.cookies(watched.base_url) if c.get("name") == LANGUAGE_COOKIE
    ]
    return values[0] if values else None


def test_landing_page_is_dutch_and_switches_to_english(app_page: WatchedPage) -> None:
    page = app_page.page
    app_page.goto("/")
    expect(main_heading(app_page)).to_have_text(text("landing.title", "nl"))
    expect(page.locator("#lang-nl")).to_have_attribute("aria-pressed", "true")
    assert text("landing.title", "nl") != text("landing.title", "en")

    page.locator("#lang-en").click()
    expect(main_heading(app_page)).to_have_text(text("landing.title", "en"))
    expect(page.locator("#lang-en")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("link", name=text("footer.privacy", "en"))).to_be_visible()
    assert _language_cookie(app_page) == "en"

    app_page.reload()
    expect(main_heading(app_page)).to_have_text(text("landing.title", "en"))

    page.locator("#lang-nl").click()
    expect(main_heading(app_page)).to_have_text(text("landing.title", "nl"))
    app_page.reload()
    expect(main_heading(app_page)).to_have_text(text("landing.title", "nl"))
    app_page.watch.assert_clean()


def test_signed_in_language_is_stored_on_the_account(app_page: WatchedPage, clean_db: None) -> None:
    seed_demo_school()
    parent = demo_user("parent")
    assert parent.preferred_language == "nl"
    welcome_en = f"{text('app.welcome', 'en')}, {parent.display_name}"

    demo_log_in(app_page, "parent")  # lands on /book: the demo round is open
    app_page.goto("/app")
    expect(main_heading(app_page)).to_have_text(f"{text('app.welcome', 'nl')}, {parent.display_name}")
    app_page.page.locator("#lang-en").click()
    expect(main_heading(app_page)).to_have_text(welcome_en)
    log_out(app_page, "en")

    # Forget the browser's language cookie: only the account can remember English now.
    app_page.context.clear_cookies()
    app_page.goto("/login")
    expect(main_heading(app_page)).to_have_text(text("login.title", "nl"))
    demo_log_in(app_page, "parent")  # lands on /book: the demo round is open
    app_page.goto("/app")
    expect(main_heading(app_page)).to_have_text(welcome_en)
    expect(app_page.page.locator("#lang-en")).to_have_attribute("aria-pressed", "true")
    assert demo_user("parent").preferred_language == "en"
    app_page.watch.assert_clean()
