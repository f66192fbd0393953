"""The school admin's journey: upload a roster export -> map columns -> preview -> import -> invite."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import Guardian, OutboxMessage, Pupil, RosterMapping
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, enrol_demo_account, main_heading, seed_demo_school, text

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).parent.parent / "fixtures" / "roster"


def _upload(watched: WatchedPage, name: str) -> None:
    page = watched.page
    page.locator("#roster_file input[type=file]").set_input_files(str(CORPUS / name))
    expect(page.locator("#chosen-file")).to_contain_text(name)
    page.locator("#read-file").click()
    expect(page.locator("#roster-mapping")).to_be_visible()


def test_admin_imports_a_roster_and_invites_parents(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    with watched.expect_page_load():
        page.get_by_role("navigation").get_by_role("link", name=text("nav.roster_import")).click()
    expect(main_heading(watched)).to_have_text(text("roster.page.title"))
    page.mouse.move(600, 800)  # off the nav link just clicked: its hover colour is the header's business
    save_screenshot(page, "roster-upload-desktop")
    assert_accessible(page, "/school/roster/import (upload)")

    _upload(watched, "parnassys_semicolon_bom.csv")
    # Suggestions for the ParnasSys headers; the admin changes one column and saves the mapping.
    expect(page.get_by_label("Roepnaam", exact=True)).to_have_value("first_name")
    expect(page.get_by_label("E-mail ouder/verzorger 2", exact=True)).to_have_value("guardian2_email")
    page.get_by_label("Adres ouder/verzorger 2", exact=True).select_option("")
    page.get_by_role("button", name=text("roster.page.save_mapping")).click()
    expect(page.get_by_text(text("roster.page.mapping_saved"))).to_be_visible()
    with unscoped() as db:
        assert db.exec(select(RosterMapping)).one().mapping_json.count('"') > 10
    save_screenshot(page, "roster-mapping-desktop")
    assert_accessible(page, "/school/roster/import (mapping)")

    page.get_by_role("button", name=text("roster.page.preview")).click()
    counts = page.locator("#roster-counts")
    expect(counts).to_contain_text(text("roster.kind.pupils"))
    pupils_row = counts.get_by_role("row").filter(has_text=text("roster.kind.pupils"))
    expect(pupils_row.get_by_role("cell").nth(0)).to_have_text("5")  # new
    expect(page.get_by_text(text("roster.page.no_errors"))).to_be_visible()
    expect(page.get_by_role("region", name=text("roster.page.first_rows"))).to_contain_text("Öztürk")
    save_screenshot(page, "roster-preview-desktop")
    assert_accessible(page, "/school/roster/import (preview)")

    page.locator("#start-import").click()
    expect(page.locator("#roster-done")).to_be_visible()
    expect(page.get_by_text(text("roster.page.done"))).to_be_visible()
    with unscoped() as db:
        assert {p.first_name for p in db.exec(select(Pupil)).all()} >= {"Daan", "Sara", "Zoë"}
    save_screenshot(page, "roster-done-desktop")

    with watched.expect_page_load():
        page.get_by_role("link", name=text("roster.page.to_invitations")).click()
    expect(main_heading(watched)).to_have_text(text("roster.invite.title"))
    row = page.locator("li.roster-person", has_text="eva.deboer@example.org")
    expect(row).to_contain_text(text("accounts.invitation.not_invited"))
    page.get_by_role("button", name=text("roster.invite.all")).click()
    expect(row).to_contain_text(text("accounts.invitation.pending"), timeout=60_000)
    with unscoped() as db:
        invited = db.exec(
            select(OutboxMessage.template).where(OutboxMessage.to_email == "eva.deboer@example.org")
        ).all()
        assert list(invited) == ["invitation"]
        assert db.exec(select(Guardian).where(Guardian.email == "eva.deboer@example.org")).one().user_id
    row.get_by_role("button", name=text("roster.invite.resend")).click()
    expect(page.get_by_text(text("roster.invite.sent_one"))).to_be_visible()
    save_screenshot(page, "roster-invitations-desktop")
    assert_accessible(page, "/school/roster/invitations")
    watched.watch.assert_clean()


def test_file_with_errors_is_explained_and_nothing_is_written(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(PHONE)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    watched.goto("/school/roster/import")
    expect(main_heading(watched)).to_have_text(text("roster.page.title"))
    assert_no_horizontal_overflow(page)
    save_screenshot(page, "roster-upload-phone")
    _upload(watched, "bad_rows.csv")
    assert_no_horizontal_overflow(page)
    save_screenshot(page, "roster-mapping-phone")
    page.get_by_role("button", name=text("roster.page.preview")).click()
    issues = page.locator("#roster-issues")
    expect(issues).to_contain_text("'not-an-email' is geen geldig e-mailadres.")
    expect(issues.locator("li.roster-issue")).to_have_count(5)
    expect(page.locator("#start-import")).to_be_disabled()
    assert_no_horizontal_overflow(page)
    save_screenshot(page, "roster-preview-errors-phone")
    with unscoped() as db:
        assert db.exec(select(Pupil).where(Pupil.first_name == "Anna")).first() is None
    page.locator("#only-valid-rows").click()
    page.locator("#start-import").click()
    expect(page.locator("#roster-done")).to_be_visible()
    with unscoped() as db:
        assert db.exec(select(Pupil).where(Pupil.first_name == "Anna")).first() is not None
    watched.goto("/school/roster/invitations")
    expect(main_heading(watched)).to_have_text(text("roster.invite.title"))
    assert_no_horizontal_overflow(page)
    save_screenshot(page, "roster-invitations-phone")
    watched.watch.assert_clean()


def test_teacher_and_visitors_get_no_access(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    watched = open_page(DESKTOP)
    demo_log_in(watched, "teacher")
    for path in ("/school/roster/import", "/school/roster/invitations"):
        watched.goto(path)
        expect(watched.page.locator("#no-access")).to_be_visible()
        expect(watched.page.locator("#roster_file")).to_have_count(0)
        expect(watched.page.locator("li.roster-person")).to_have_count(0)
