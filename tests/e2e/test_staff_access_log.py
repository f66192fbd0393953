"""Staff access transparency and booking retention in the browser: the school admin reads the staff
access log and sets the retention period; a parent sees the opening in their privacy centre; a teacher
gets no access to the log."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import School, User
from ogp_app.services.development.demo import DEMO_SCHOOL_SLUG
from ogp_app.services.staff import backoffice
from tests.e2e.conftest import (
    DESKTOP,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, demo_user, main_heading, seed_demo_school, text
from tests.support.two_factor import enrol_two_factor

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
REASON = "Vraag van de school over het rooster (ticket 4711)"


def _shot(watched: WatchedPage, name: str) -> None:
    save_screenshot(watched.page, name)


def _seed() -> pyotp.TOTP:
    seed_demo_school()
    admin = demo_user("admin")
    with unscoped() as db:
        staff = User(email="staff@ogp.example", display_name="Sam van OGP", is_staff=True)
        db.add(staff)
        db.commit()
        school_id = db.exec(select(School.id).where(School.slug == DEMO_SCHOOL_SLUG)).one()
        assert staff.id is not None and school_id is not None and admin.id is not None
        backoffice.open_school(db, staff_user_id=staff.id, school_id=school_id, reason=REASON)
        return enrol_two_factor(admin.id, label=admin.email, db=db).totp


def test_admin_reads_the_log_and_sets_retention_parent_sees_it_teacher_does_not(
    open_page: OpenPage, clean_db: None
) -> None:
    totp = _seed()
    watched = open_page(DESKTOP)
    demo_log_in(watched, "admin", totp=totp)  # one log-in: a TOTP code is accepted once
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE_390, "phone")):
        watched.page.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})
        watched.goto("/school/access-log")
        expect(main_heading(watched)).to_have_text(text("access_log.title"))
        log = watched.page.locator("#school-access-log")
        expect(log).to_contain_text(REASON)
        expect(log).to_contain_text("Sam van OGP")
        expect(log).to_contain_text(text("access_log.opened.school_overview"))
        assert_no_horizontal_overflow(watched.page)
        _shot(watched, f"school-access-log-{suffix}")
        if suffix == "desktop":
            assert_accessible(watched.page, "/school/access-log")
        watched.goto("/school/settings")
        section = watched.page.locator("#school-retention")
        expect(section).to_be_visible()
        assert_no_horizontal_overflow(watched.page)
        if suffix == "desktop":
            section.get_by_label(text("school.retention.months")).select_option("6")
            section.get_by_role("button", name=text("school.retention.save")).click()
            expect(section).to_contain_text(text("school.retention.saved"))
            with unscoped() as db:
                school = db.exec(select(School).where(School.slug == DEMO_SCHOOL_SLUG)).one()
                assert school.booking_retention_months == 6
        else:
            expect(section.get_by_label(text("school.retention.months"))).to_have_value("6")
        section.scroll_into_view_if_needed()
        _shot(watched, f"school-settings-retention-{suffix}")

    parent = open_page(PHONE_390)
    demo_log_in(parent, "parent")
    parent.goto("/privacy/me")
    mine = parent.page.locator("#privacy-staff-access")
    expect(mine).to_contain_text(REASON)
    assert_no_horizontal_overflow(parent.page)
    mine.scroll_into_view_if_needed()
    _shot(parent, "privacy-me-staff-access-phone")

    teacher = open_page(DESKTOP)
    demo_log_in(teacher, "teacher")
    teacher.goto("/school/access-log")
    expect(teacher.page.locator("#no-access")).to_be_visible()
    expect(teacher.page.get_by_role("main")).not_to_contain_text(REASON)
