"""The school's dashboard in the browser: the admin sees the demo round's charts, each with its numbers
as a table, on a desktop and a 360 px phone; axe-core finds nothing; nothing loads from another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DESKTOP,
    OpenPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, enrol_demo_account, main_heading, seed_demo_school, text

pytestmark = pytest.mark.e2e

PHONE_360 = {"width": 360, "height": 780}


def test_the_admin_reads_the_dashboard_on_a_desktop_and_a_phone(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    demo_log_in(watched, "admin", totp=totp)
    for size, name in ((DESKTOP, "desktop"), (PHONE_360, "phone-360")):
        watched.page.set_viewport_size(
            {"width": size["width"], "height": size["height"]}
        )  # one log-in: a second code in the same half minute is refused
        watched.goto("/school/dashboard")
        expect(main_heading(watched)).to_have_text(text("dashboard.title"))
        booked = watched.page.locator("#chart-booked")
        expect(booked.locator("svg.recharts-surface").first).to_be_visible()  # drawn in the browser
        expect(booked.get_by_role("table")).to_contain_text(text("dashboard.class"))
        expect(watched.page.locator("#chart-bookings").get_by_role("table")).to_be_visible()
        expect(watched.page.locator("#chart-unseen")).to_contain_text(text("dashboard.unseen_title"))
        assert_no_horizontal_overflow(watched.page)
        assert_accessible(watched.page, f"/school/dashboard ({name})")
        save_screenshot(watched.page, f"school-dashboard-{name}")
    watched.watch.assert_clean()
