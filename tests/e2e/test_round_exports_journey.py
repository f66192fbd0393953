"""The teacher's evening in the browser: download the door list and schedule as PDF, invite a family to
talk; the admin's round card offers the whole schedule as CSV. Screenshots at desktop and phone width."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, enrol_demo_account, main_heading, seed_demo_school, text

pytestmark = pytest.mark.e2e


def test_teacher_downloads_the_door_list_and_invites_a_family(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    watched = open_page(DESKTOP)
    demo_log_in(watched, "teacher")
    watched.goto("/teacher/evening")
    expect(main_heading(watched)).to_have_text(text("evening.title"))
    page = watched.page
    expect(page.locator("#door-list")).to_contain_text("Sem Yilmaz")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=text("export.download_door")).click()
    download = download_info.value
    name = download.suggested_filename
    assert name.startswith("deurlijst-") and name.endswith(".pdf")
    path = download.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=text("export.download_schedule")).click()
    path = download_info.value.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"

    # invite to talk: pick a pupil and a free time; the evening shows the new conversation
    invite = page.locator("#invite")
    expect(invite).to_be_visible()
    pupil_select = invite.get_by_label(text("invite.pupil"))
    pupil = pupil_select.locator("option").nth(1).inner_text()
    pupil_select.select_option(index=1)
    invite.get_by_label(text("invite.time")).select_option(index=1)
    invite.get_by_label(text("invite.message")).fill("Graag even bijpraten.")
    save_screenshot(page, "teacher-evening-invite-desktop")
    invite.get_by_role("button", name=text("invite.submit")).click()
    expect(invite.get_by_role("status")).to_contain_text(text("invite.done"))
    expect(page.locator("#door-list")).to_contain_text(pupil.split(" (")[0])
    assert_accessible(page, "/teacher/evening with downloads and invite")
    save_screenshot(page, "teacher-evening-exports-desktop")
    watched.watch.assert_clean()

    phone = open_page(PHONE)
    demo_log_in(phone, "teacher")
    phone.goto("/teacher/evening")
    expect(phone.page.get_by_role("link", name=text("export.download_door"))).to_be_visible()
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "teacher-evening-exports-phone")


def test_admin_downloads_the_rounds_schedule_as_csv(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    demo_log_in(watched, "admin", totp=totp)
    watched.goto("/school/rounds")
    rounds = watched.page.locator("#rounds")
    expect(rounds).to_contain_text("Rapportgesprekken")
    with watched.page.expect_download() as download_info:
        rounds.get_by_role("link", name=text("export.download_csv")).first.click()
    path = download_info.value.path()
    assert path is not None
    content = Path(path).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and b"Sem Yilmaz" in content
    save_screenshot(watched.page, "school-rounds-exports-desktop")
    phone = open_page(PHONE)
    phone.context.add_cookies(watched.context.cookies())  # type: ignore[arg-type]
    phone.goto("/school/rounds")
    expect(phone.page.locator("#rounds")).to_contain_text("Rapportgesprekken")
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "school-rounds-exports-phone")
