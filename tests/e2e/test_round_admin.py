"""The admin's round page in the browser: from the round's card to its own page; a teacher's room and a
break; block a time; book a time on a family's behalf and move it; the family's mail is in the outbox.
Screenshots at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import col, select

from ogp_app.core.db import unscoped
from ogp_app.models import OutboxMessage
from tests.e2e.conftest import (
    DESKTOP,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, enrol_demo_account, main_heading, seed_demo_school, text

pytestmark = pytest.mark.e2e


def _cell(page: Page, at: str) -> Locator:
    """The time ``at`` on the first evening of the chosen teacher."""
    return page.locator(".slot-grid").first.locator("> div").filter(has_text=at)


def _open_round(watched: WatchedPage) -> None:
    watched.goto("/school/rounds")
    expect(main_heading(watched)).to_have_text(text("rounds.title"))
    watched.page.locator("#rounds").get_by_role("link", name=text("round.details")).first.click()
    expect(main_heading(watched)).to_have_text("Rapportgesprekken")


def test_admin_sets_up_a_teacher_blocks_books_and_moves_for_a_family(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    _open_round(watched)
    page.get_by_label(text("round.teacher"), exact=True).select_option(label="Juf Jansen")
    expect(_cell(page, "19:00")).to_have_count(1)

    page.get_by_label(text("round.room"), exact=True).fill("Aula")
    page.get_by_role("button", name=text("round.room.save")).click()
    expect(page.get_by_text(text("round.saved"))).to_be_visible()

    page.get_by_label(text("round.break.from")).first.fill("19:20")
    page.get_by_label(text("round.break.to")).first.fill("19:00")
    page.get_by_role("button", name=text("round.break.add")).first.click()
    expect(page.get_by_text(text("rounds.error.break_times"))).to_be_visible()
    expect(_cell(page, "19:10")).to_have_count(1)  # nothing changed

    page.get_by_label(text("round.break.from")).first.fill("19:00")
    page.get_by_label(text("round.break.to")).first.fill("19:20")
    page.get_by_role("button", name=text("round.break.add")).first.click()
    expect(page.locator("#round-days").get_by_text("19:00-19:20")).to_be_visible()
    expect(_cell(page, "19:00")).to_have_count(0)  # the break took the 19:00 and 19:10 times away
    expect(_cell(page, "19:10")).to_have_count(0)

    _cell(page, "19:30").get_by_role("button", name=text("round.block"), exact=True).click()
    expect(_cell(page, "19:30")).to_contain_text(text("round.slot.blocked"))

    _cell(page, "19:40").get_by_role("button", name=text("round.choose"), exact=True).click()
    form = page.locator("#round-booking")
    expect(form).to_contain_text("Juf Jansen")
    finn = page.locator("#pupil option").filter(has_text="Finn").first.get_attribute("value")
    assert finn
    page.get_by_label(text("round.booking.pupil"), exact=True).select_option(value=finn)
    form.get_by_role("button", name=text("round.booking.submit")).click()
    expect(page.get_by_text(text("round.booked"))).to_be_visible()
    expect(_cell(page, "19:40")).to_contain_text("Finn")
    assert_accessible(page, "/school/round")
    save_screenshot(page, "school-round-desktop")

    _cell(page, "19:40").get_by_role("button", name=text("round.move"), exact=True).click()
    expect(form).to_contain_text("Finn")
    _cell(page, "19:50").get_by_role("button", name=text("round.move_here"), exact=True).click()
    expect(page.get_by_text(text("round.moved"))).to_be_visible()
    expect(_cell(page, "19:50")).to_contain_text("Finn")
    expect(_cell(page, "19:40")).to_contain_text(text("round.slot.free"))

    with unscoped() as db:
        bodies = [
            m.text_body
            for m in db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
            if m.template == "booking_confirmed" and "Finn" in m.text_body
        ]
    assert any("voor u ingepland" in b and "Aula" in b for b in bodies), bodies
    assert any("is verplaatst" in b and "Aula" in b for b in bodies), bodies

    page.set_viewport_size({"width": 390, "height": 844})  # same session (no second 2FA code)
    watched.reload()
    expect(main_heading(watched)).to_have_text("Rapportgesprekken")
    expect(page.locator("#round-progress")).to_contain_text("Groep 5")
    assert_no_horizontal_overflow(page)
    save_screenshot(page, "school-round-phone")


def test_a_round_id_that_is_not_the_schools_shows_not_found(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    demo_log_in(watched, "admin", totp=totp)
    watched.goto("/school/round?id=999999")
    expect(watched.page.get_by_text(text("rounds.error.round_not_found"))).to_be_visible()
