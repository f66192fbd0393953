"""An admin's first hour in the browser: the landing page's "School aanmelden", the home page's next
steps and trial days, and a round form that is empty again after creating a round. Screenshots at
desktop and at 360 px."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, OpenPage, save_screenshot
from tests.e2e.journeys import demo_log_in, enrol_demo_account, main_heading, seed_demo_school, text
from tests.e2e.test_confirm_dialogs import assert_fits

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}
SIZES = ((PHONE_360, "phone"), (DESKTOP, "desktop"))


def test_landing_offers_school_sign_up(open_page: OpenPage) -> None:
    for size, name in SIZES:
        watched = open_page(size)
        watched.goto("/")
        signup = watched.page.get_by_role("link", name=text("landing.cta.signup"))
        expect(signup).to_be_visible()
        assert_fits(watched, signup)
        save_screenshot(watched.page, f"landing-signup-{name}")
    signup.click()
    expect(main_heading(watched)).to_have_text(text("signup.title"))


def test_admin_home_shows_next_steps_and_trial_days_and_the_round_form_clears(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(PHONE_360)  # one log-in (a code is accepted once); the page is resized after
    demo_log_in(watched, "admin", totp=totp)
    for size, name in SIZES:
        watched.page.set_viewport_size({"width": size["width"], "height": size["height"]})
        watched.goto("/app")
        steps = watched.page.locator("#home-next-steps")
        expect(steps.get_by_role("link", name=text("home.step.subscribe"))).to_have_attribute(
            "href", "/school/billing"
        )
        expect(watched.page.locator("#home-trial-days")).to_have_text("30")
        assert_fits(watched, steps)
        save_screenshot(watched.page, f"app-admin-home-{name}")

    page = watched.page
    watched.goto("/school/rounds")
    form = page.locator("#round-create")
    day = date.today() + timedelta(days=14)
    form.get_by_label(text("rounds.field.name"), exact=True).fill("Voortgangsgesprekken")
    form.get_by_role("checkbox").first.check()
    form.get_by_label(text("rounds.field.day1"), exact=True).fill(day.isoformat())
    form.get_by_label(text("rounds.field.opens"), exact=True).fill(f"{day - timedelta(days=7)}T08:00")
    form.get_by_label(text("rounds.field.closes"), exact=True).fill(f"{day - timedelta(days=1)}T20:00")
    form.get_by_role("button", name=text("rounds.create.submit")).click()
    expect(page.get_by_text(text("rounds.created"))).to_be_visible()
    expect(page.locator("#rounds")).to_contain_text("Voortgangsgesprekken")
    # ready for the next round: empty, with its defaults back
    expect(form.get_by_label(text("rounds.field.name"), exact=True)).to_have_value("")
    expect(form.get_by_role("checkbox").first).not_to_be_checked()
    expect(form.get_by_label(text("rounds.field.slot_minutes"), exact=True)).to_have_value("10")
