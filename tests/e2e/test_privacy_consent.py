"""The privacy statement's versions in the browser: the public history, and the re-consent gate after
staff published a material change (a parent is sent to /privacy/accept from any page, accepts, continues)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.db import unscoped
from ogp_app.models import PolicyAcceptance, User
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

pytestmark = pytest.mark.e2e

BODY_NL = "Versie twee van onze belofte.\n\nWij bewaren verstuurde e-mails nog maar 60 dagen."
BODY_EN = "Version two of our promise.\n\nWe now keep sent e-mails for 60 days only."


def _publish_material_change() -> None:
    with unscoped() as db:
        staff = User(email="staff@ogp.example", display_name="OGP Staff", is_staff=True)
        db.add(staff)
        db.commit()
        assert staff.id is not None
        statement.publish(
            db,
            staff_user_id=staff.id,
            version="2.0",
            body_nl=BODY_NL,
            body_en=BODY_EN,
            summary_nl="Kortere bewaartermijn voor e-mails.",
            summary_en="Shorter retention of e-mails.",
            material_change=True,
        )


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
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    _publish_material_change()

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
    expect(visitor.page.locator("#selected-version")).to_contain_text("Kortere bewaartermijn voor e-mails.")
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
    _sent_to_accept(watched, "/app")
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
