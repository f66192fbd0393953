"""A school administrator logs in with the demo button, sees who and where they are, and logs out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    PHONE,
    OpenPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import (
    SESSION_COOKIE,
    demo_log_in,
    demo_school_name,
    demo_user,
    enrol_second_factor,
    log_out,
    main_heading,
    seed_demo_school,
    session_cookie,
    text,
)

pytestmark = pytest.mark.e2e


def test_admin_logs_in_and_out(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    admin = demo_user("admin")
    watched = open_page()
    page = watched.page

    demo_log_in(watched, "admin", lands_on="/account/two-factor")  # administrators must enrol first
    enrol_second_factor(watched)
    expect(main_heading(watched)).to_have_text(f"{text('app.welcome')}, {admin.display_name}")
    expect(page.get_by_text(demo_school_name(), exact=True)).to_be_visible()
    expect(page.get_by_text(text("app.role.school_admin"), exact=True)).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name=text("nav.my_overview"))).to_be_visible()

    cookie = session_cookie(watched)
    assert cookie is not None, "no session cookie after log-in"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert len(cookie["value"]) >= 43, "the token must carry 256 bits"
    document_cookie = page.evaluate("document.cookie")
    assert SESSION_COOKIE not in document_cookie and cookie["value"] not in document_cookie

    assert_accessible(page, "/app signed in")
    save_screenshot(page, "app-signed-in-desktop")

    log_out(watched)
    assert session_cookie(watched) is None, "log-out must clear the session cookie"
    watched.goto("/app")
    expect(main_heading(watched)).to_have_text(text("app.title"))
    expect(page.get_by_text(text("app.not_signed_in"), exact=True)).to_be_visible()
    expect(page.get_by_text(admin.display_name)).to_have_count(0)

    # The old token is dead on the server too: putting it back does not sign anyone in.
    watched.context.add_cookies([{"name": SESSION_COOKIE, "value": cookie["value"], "url": watched.base_url}])
    watched.goto("/app")
    expect(page.get_by_text(text("app.not_signed_in"), exact=True)).to_be_visible()
    expect(page.get_by_text(admin.display_name)).to_have_count(0)
    watched.watch.assert_clean()


def test_signed_in_overview_fits_a_phone(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    watched = open_page(PHONE)
    demo_log_in(watched, "teacher")
    expect(main_heading(watched)).to_contain_text(demo_user("teacher").display_name)
    assert_no_horizontal_overflow(watched.page)
    assert_accessible(watched.page, "/app signed in (phone)")
    save_screenshot(watched.page, "app-signed-in-phone")
    watched.watch.assert_clean()
