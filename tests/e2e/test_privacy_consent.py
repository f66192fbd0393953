"""The privacy statement's versions in the browser: the public history, and the re-consent gate after
staff published a material change (a parent is sent to /privacy/accept from any page, accepts, continues)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import OutboxMessage, PolicyAcceptance, User
from ogp_app.services.development.demo import DEMO_ACCOUNTS
from ogp_app.services.privacy import statement
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_user, main_heading, seed_demo_school, text
from tests.e2e.test_backoffice_journeys import make_staff, staff_log_in
from tests.support.factories import Factory

pytestmark = pytest.mark.e2e

BODY_NL = "Versie twee van onze belofte.\n\nWij bewaren verstuurde e-mails nog maar 60 dagen."
BODY_EN = "Version two of our promise.\n\nWe now keep sent e-mails for 60 days only."
SUMMARY_NL = "Kortere bewaartermijn voor e-mails."
TEMPLATE = "privacy_statement_published"


def _staff_publish_material_change(open_page: OpenPage, factory: Factory) -> None:
    """Staff publish version 2.0 on /staff/policies: first refused (a version that exists), then done."""
    totp = make_staff(factory, "sam.staff@ogp.example", "Sam Staff")
    staff = open_page(DESKTOP)
    staff_log_in(staff, "sam.staff@ogp.example", totp)
    staff.goto("/staff/policies")
    form = staff.page.locator("#policies-new")
    form.get_by_label(text("staff.policies.version"), exact=True).fill("1.0")
    form.get_by_label(text("staff.policies.body_nl"), exact=True).fill(BODY_NL)
    form.get_by_label(text("staff.policies.body_en"), exact=True).fill(BODY_EN)
    form.get_by_label(text("staff.policies.summary_nl"), exact=True).fill(SUMMARY_NL)
    form.get_by_label(text("staff.policies.summary_en"), exact=True).fill("Shorter retention of e-mails.")
    form.get_by_label(text("staff.policies.material")).check()
    form.get_by_role("button", name=text("staff.policies.publish")).click()
    expect(staff.page.get_by_role("alert")).to_have_text(text("consent.error.version_exists"))
    with unscoped() as db:
        assert statement.in_force(db).version == "1.0"  # nothing published
    form.get_by_label(text("staff.policies.version"), exact=True).fill("2.0")
    form.get_by_role("button", name=text("staff.policies.publish")).click()
    expect(staff.page.get_by_role("status")).to_have_text(text("staff.policies.published"))
    expect(staff.page.locator("#policies-versions")).to_contain_text("2.0")
    save_screenshot(staff.page, "staff-policies-desktop")
    with unscoped() as db:
        current = statement.in_force(db)
        mails = db.exec(select(OutboxMessage).where(OutboxMessage.template == TEMPLATE)).all()
        everyone = db.exec(select(User.email)).all()
    assert (current.version, current.material_change, current.body_nl) == ("2.0", True, BODY_NL)
    assert sorted(m.to_email for m in mails) == sorted(everyone)  # one mail per account
    assert {"sam.staff@ogp.example", DEMO_ACCOUNTS["parent"]} <= {m.to_email for m in mails}


def _sent_to_accept(watched: WatchedPage, next_path: str) -> None:
    pattern = re.escape(watched.url("/privacy/accept")) + r"/?\?next=" + re.escape(next_path) + "$"
    expect(watched.page).to_have_url(re.compile(pattern))
    expect(main_heading(watched)).to_have_text(text("consent.accept.title"))
    expect(watched.page.locator("#statement")).to_contain_text(
        "Wij bewaren verstuurde e-mails nog maar 60 dagen"
    )


def _demo_sign_in(watched: WatchedPage, role: str) -> None:
    watched.goto("/login")
    button = watched.page.get_by_role("button", name=text(f"login.demo.{role}"), exact=True)
    with watched.expect_page_load():
        button.click()


def test_history_is_public_and_a_material_change_asks_a_parent_to_accept(
    open_page: OpenPage, factory: Factory
) -> None:
    seed_demo_school()
    _staff_publish_material_change(open_page, factory)

    # Anyone reads every version, without signing in.
    visitor = open_page(DESKTOP)
    visitor.goto("/privacy")
    expect(main_heading(visitor)).to_have_text(text("privacy.title"))
    expect(visitor.page.get_by_role("main")).to_contain_text("Versie twee van onze belofte")
    visitor.page.locator("#history-link").click()
    expect(visitor.page).to_have_url(re.compile(re.escape(visitor.url("/privacy/history")) + "/?$"))
    expect(main_heading(visitor)).to_have_text(text("consent.history.title"))
    versions = visitor.page.locator("#versions")
    expect(versions).to_contain_text("2.0")
    expect(versions).to_contain_text("1.0")
    expect(visitor.page.locator("#selected-version")).to_contain_text(SUMMARY_NL)
    assert_accessible(visitor.page, "/privacy/history")
    save_screenshot(visitor.page, "privacy-history-desktop")
    visitor.goto("/privacy/history?version=1.0")
    selected = visitor.page.locator("#selected-version")
    expect(selected).to_contain_text(text("privacy.short.title"))  # the built-in text of version 1.0
    expect(selected).not_to_contain_text("Versie twee")

    phone = open_page(PHONE)
    phone.goto("/privacy/history?version=2.0")
    expect(phone.page.locator("#selected-version")).to_contain_text("Versie twee van onze belofte")
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "privacy-history-phone")

    # The parent signs in and is sent to accept first, from whichever page they open.
    watched = open_page(DESKTOP)
    page = watched.page
    _demo_sign_in(watched, "parent")
    _sent_to_accept(watched, "/book")  # where the parent lands: the demo round is open
    assert_accessible(page, "/privacy/accept")
    save_screenshot(page, "privacy-accept-desktop")
    watched.goto("/book")
    _sent_to_accept(watched, "/book")
    watched.goto("/privacy/me")  # the way out stays open: see, download, delete
    expect(main_heading(watched)).to_have_text(text("privacy.me.title"))
    expect(page).to_have_url(re.compile(re.escape(watched.url("/privacy/me")) + "/?$"))
    watched.goto("/book")
    _sent_to_accept(watched, "/book")

    page.get_by_role("button", name=text("consent.accept.button")).click()
    expect(page).to_have_url(re.compile(re.escape(watched.url("/book")) + "/?$"))
    expect(main_heading(watched)).to_have_text(text("book.title"))
    watched.goto("/app")
    expect(page).to_have_url(re.compile(re.escape(watched.url("/app")) + "/?$"))
    parent = demo_user("parent")
    with unscoped() as db:
        rows = db.exec(select(PolicyAcceptance).where(PolicyAcceptance.user_id == parent.id)).all()
    assert [(r.document, r.version) for r in rows] == [("privacy_statement", "2.0")]
    watched.goto("/privacy/me")
    expect(page.locator("#privacy-consents")).to_contain_text("2.0")

    # The teacher on a phone meets the same gate.
    teacher = open_page(PHONE)
    _demo_sign_in(teacher, "teacher")
    _sent_to_accept(teacher, "/app")
    assert_no_horizontal_overflow(teacher.page)
    save_screenshot(teacher.page, "privacy-accept-phone")
