"""A staff member records a legal disclosure at /staff/disclosures; a wrong address is named and nothing
is recorded; then the parent concerned sees it in their privacy centre."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import LegalDisclosure
from ogp_app.services.development.demo import DEMO_ACCOUNTS
from tests.e2e.conftest import DESKTOP, OpenPage, assert_accessible, assert_no_horizontal_overflow
from tests.e2e.journeys import demo_log_in, seed_demo_school, text
from tests.e2e.test_backoffice_journeys import make_staff, staff_log_in
from tests.support.factories import Factory

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}


def test_staff_record_a_disclosure_and_the_parent_sees_it(
    open_page: OpenPage, factory: Factory, clean_db: None
) -> None:
    seed_demo_school()
    totp = make_staff(factory, "sam.staff@ogp.example", "Sam Staff")
    factory.session.commit()
    staff = open_page(DESKTOP)
    staff_log_in(staff, "sam.staff@ogp.example", totp)
    staff.goto("/staff/disclosures")
    form = staff.page.locator("#staff-disclosure")
    form.get_by_label(text("staff.disclosure.authority")).fill("Politie Midden-Nederland")
    form.get_by_label(text("staff.disclosure.date")).fill("2026-03-01")
    form.get_by_label(text("staff.disclosure.scope")).fill("Naam en e-mailadres, vordering art. 126nc Sv")
    subjects = form.get_by_label(text("staff.disclosure.subjects"))
    subjects.fill(f"{DEMO_ACCOUNTS['parent']}\nnobody@nowhere.example")
    form.get_by_role("button", name=text("staff.disclosure.submit")).click()
    expect(form).to_contain_text("nobody@nowhere.example")
    with unscoped() as db:
        assert db.exec(select(LegalDisclosure)).all() == []
    subjects.fill(DEMO_ACCOUNTS["parent"])
    form.get_by_role("button", name=text("staff.disclosure.submit")).click()
    expect(form).to_contain_text(text("staff.disclosure.recorded").format(count=1))
    assert_accessible(staff.page, "/staff/disclosures")
    staff.page.screenshot(path="/tmp/shots-transparency/staff-disclosures-desktop.png", full_page=True)
    staff.page.set_viewport_size({"width": PHONE_390["width"], "height": PHONE_390["height"]})
    assert_no_horizontal_overflow(staff.page)
    staff.page.screenshot(path="/tmp/shots-transparency/staff-disclosures-phone.png", full_page=True)

    parent = open_page(PHONE_390)
    demo_log_in(parent, "parent")
    parent.goto("/privacy/me")
    expect(parent.page.locator("#privacy-disclosures")).to_contain_text("Politie Midden-Nederland")
