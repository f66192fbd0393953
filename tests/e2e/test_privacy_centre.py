"""/privacy/me in the browser: a parent downloads and opens their data, then deletes their account;
a school admin deletes the school and undoes it within the grace period."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlmodel import col, select

from ogp_app.core.db import unscoped
from ogp_app.models import Guardian, OutboxMessage, Pupil, PupilGuardian, School, SchoolStatus, User
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.development.demo import DEMO_ACCOUNTS, DEMO_SCHOOL_SLUG
from ogp_app.services.privacy.disclosures import record_disclosure
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import (
    answer_dialog,
    demo_log_in,
    demo_user,
    enrol_demo_account,
    main_heading,
    seed_demo_school,
    session_cookie,
    text,
)

pytestmark = pytest.mark.e2e

PASSWORD = "drie kleine katjes op een hek"


def _children_of_demo_parent() -> list[str]:
    user = demo_user("parent")
    with unscoped() as db:
        guardian_ids = select(Guardian.id).where(Guardian.user_id == user.id)
        pupil_ids = select(PupilGuardian.pupil_id).where(col(PupilGuardian.guardian_id).in_(guardian_ids))
        return sorted(p.first_name for p in db.exec(select(Pupil).where(col(Pupil.id).in_(pupil_ids))))


def _open_privacy(watched: WatchedPage) -> None:
    nav = watched.page.get_by_role("navigation")
    with watched.expect_page_load():
        nav.get_by_role("link", name=text("nav.privacy_me"), exact=True).first.click()
    expect(main_heading(watched)).to_have_text(text("privacy.me.title"))
    watched.page.mouse.move(600, 880)  # off the nav link: axe judges the page at rest, not a hovered link


def _log_in_with_password(watched: WatchedPage, email: str, password: str) -> None:
    watched.goto("/login")
    form = watched.page.locator("form[action='/api/auth/login']")
    form.get_by_label(text("auth.email")).fill(email)
    form.get_by_label(text("auth.password")).fill(password)
    with watched.expect_page_load():
        watched.page.get_by_role("button", name=text("login.submit"), exact=True).click()


def test_parent_downloads_and_opens_their_data_then_deletes_the_account(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    with unscoped() as db:
        parent = db.exec(select(User).where(User.email == DEMO_ACCOUNTS["parent"])).one()
        parent.password_hash = hash_password(PASSWORD)
        staff = User(email="staff@ogp.example", display_name="OGP Staff", is_staff=True)
        db.add_all([parent, staff])
        db.commit()
        assert staff.id is not None
        record_disclosure(
            db,
            staff_user_id=staff.id,
            authority="Politie Midden-Nederland",
            disclosed_on=date(2026, 3, 1),
            scope="Naam en e-mailadres",
            subject_emails=[parent.email],
        )
    children = _children_of_demo_parent()
    assert children

    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "parent")
    _open_privacy(watched)
    table = page.locator("#privacy-children")
    for child in children:
        expect(table).to_contain_text(child)
    expect(page.locator("#privacy-account")).to_contain_text(DEMO_ACCOUNTS["parent"])
    expect(page.locator("#privacy-disclosures")).to_contain_text("Politie Midden-Nederland")
    expect(page.locator("#privacy-school")).to_have_count(0)  # a parent sees no school deletion
    assert_accessible(page, "/privacy/me as a parent")
    save_screenshot(page, "privacy-me-parent-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("button", name=text("privacy.me.download.button")).click()
    download = download_info.value
    assert re.fullmatch(r"ogp-my-data-\d{8}\.zip", download.suggested_filename)
    path = download.path()
    assert path is not None
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert {"README.txt", "data.json", "user.csv", "pupil.csv", "guardian.csv"} <= set(archive.namelist())
    data = json.loads(archive.read("data.json"))
    assert data["version"] == 1 and data["tables"]["user"]["rows"][0]["email"] == DEMO_ACCOUNTS["parent"]
    assert sorted(r["first_name"] for r in data["tables"]["pupil"]["rows"]) == children
    assert "password_hash" not in archive.read("user.csv").decode("utf-8-sig")
    assert "pupil.csv" in archive.read("README.txt").decode()

    phone = open_page(PHONE)
    demo_log_in(phone, "parent")
    phone.goto("/privacy/me")
    expect(main_heading(phone)).to_have_text(text("privacy.me.title"))
    expect(phone.page.locator("#privacy-children")).to_contain_text(children[0])
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "privacy-me-parent-phone")

    delete = page.locator("#privacy-delete")
    delete.get_by_label(text("privacy.me.delete.password")).fill("not my password at all")
    delete.get_by_role("button", name=text("privacy.me.delete.button")).click()
    answer_dialog(watched, "confirm.delete_account.action", expect_text=text("privacy.me.delete.final"))
    expect(delete).to_contain_text(text("privacy.delete.proof_wrong"))
    delete.get_by_label(text("privacy.me.delete.password")).fill(PASSWORD)
    assert session_cookie(watched) is not None
    delete.get_by_role("button", name=text("privacy.me.delete.button")).click()
    answer_dialog(watched, "confirm.cancel")  # not yet: nothing is deleted
    expect(delete.get_by_role("button", name=text("privacy.me.delete.button"))).to_be_visible()
    assert session_cookie(watched) is not None
    delete.get_by_label(text("privacy.me.delete.password")).fill(PASSWORD)  # the dialog kept the form
    delete.get_by_role("button", name=text("privacy.me.delete.button")).click()
    answer_dialog(watched, "confirm.delete_account.action")
    expect(page.locator("#privacy-deleted")).to_contain_text(text("privacy.me.deleted.title"))
    # The dead session cookie is cleared in this browser, not just left behind.
    deadline = time.monotonic() + 10
    while session_cookie(watched) is not None and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert session_cookie(watched) is None
    with watched.expect_page_load():
        page.get_by_role("link", name=text("privacy.me.deleted.home")).click()
    expect(page.get_by_role("navigation").get_by_role("link", name=text("nav.login"))).to_be_visible()
    with unscoped() as db:
        assert db.exec(select(User).where(User.email == DEMO_ACCOUNTS["parent"])).first() is None
        assert db.exec(select(Pupil).where(Pupil.first_name == children[0])).first() is not None

    _log_in_with_password(watched, DEMO_ACCOUNTS["parent"], PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/?\?error="))


def _school_deletion_code() -> str:
    with unscoped() as db:
        mail = db.exec(select(OutboxMessage).where(OutboxMessage.template == "school_deletion_code")).one()
    found = re.search(r"\b(\d{6})\b", mail.text_body)
    assert found is not None and DEMO_SCHOOL_SLUG not in mail.subject
    return found.group(1)


def _school_status() -> str:
    with unscoped() as db:
        return db.exec(select(School.status).where(School.slug == DEMO_SCHOOL_SLUG)).one()


def test_school_admin_deletes_the_school_and_undoes_it(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    _open_privacy(watched)
    school = page.locator("#privacy-school")
    expect(school).to_be_visible()
    with page.expect_download() as download_info:
        school.get_by_role("button", name=text("privacy.me.school.export_button")).click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    tables = json.loads(archive.read("data.json"))["tables"]
    assert {"school", "pupil", "guardian", "teacher", "membership"} <= tables.keys()

    school.get_by_role("button", name=text("privacy.me.school.delete_button")).click()
    # The same proof as deleting an account: this admin has no password, so an e-mailed code.
    school.get_by_role("button", name=text("privacy.me.delete.send_code")).click()
    code_field = school.get_by_label(text("privacy.me.delete.code"))
    expect(code_field).to_be_visible()
    code = _school_deletion_code()
    code_field.fill(f"{(int(code) + 1) % 10**6:06d}")
    school.get_by_role("button", name=text("privacy.me.school.delete_confirm")).click()
    answer_dialog(watched, "confirm.delete_school.action", expect_text=text("confirm.delete_school.body"))
    expect(school).to_contain_text(text("privacy.me.school.proof_wrong"))
    assert _school_status() == SchoolStatus.ACTIVE
    school.get_by_label(text("privacy.me.delete.code")).fill(code)
    school.get_by_role("button", name=text("privacy.me.school.delete_confirm")).click()
    answer_dialog(watched, "confirm.delete_school.action")
    expect(page.locator("#school-frozen")).to_be_visible()
    assert _school_status() == SchoolStatus.FROZEN
    save_screenshot(page, "privacy-me-school-frozen-desktop")

    teacher = open_page(PHONE)  # a teacher of the frozen school logs in and is told
    demo_log_in(teacher, "teacher")
    expect(teacher.page.locator("#frozen-banner")).to_be_visible()
    save_screenshot(teacher.page, "app-school-frozen-phone")

    # Read-only at once: the admin can no longer change the roster (the privacy centre still works).
    watched.goto("/school/classes")
    expect(page.locator("#frozen-banner")).to_be_visible()
    expect(page.get_by_role("button", name=text("manage.save"))).to_have_count(0)
    _open_privacy(watched)

    school.get_by_role("button", name=text("privacy.me.school.undo")).click()
    expect(school).to_contain_text(text("privacy.me.school.undone"))
    assert _school_status() == SchoolStatus.ACTIVE
    assert_accessible(page, "/privacy/me as a school admin")
