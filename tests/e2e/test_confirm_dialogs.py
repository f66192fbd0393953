"""Irreversible actions ask first: opening a round says that parents get no mail and whom it reaches;
"Niet doen" changes nothing, the dialog's own button acts. Screenshots at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, expect
from sqlalchemy import func
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ConferenceRound, OutboxMessage, School
from ogp_app.services.development.demo import DEMO_SCHOOL_SLUG
from ogp_app.services.rounds.demo_round import DEMO_ROUND_NAME
from ogp_app.services.rounds.opening import opening_reach
from tests.e2e.conftest import DESKTOP, OpenPage, WatchedPage, save_screenshot
from tests.e2e.journeys import (
    answer_dialog,
    demo_log_in,
    enrol_demo_account,
    main_heading,
    seed_demo_school,
    text,
)

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}


def _round_status() -> str:
    with unscoped() as db:
        return db.exec(select(ConferenceRound.status).where(ConferenceRound.name == DEMO_ROUND_NAME)).one()


def _close_round_and_count_reach() -> tuple[int, int]:
    with unscoped() as db:
        school_id = db.exec(select(School.id).where(School.slug == DEMO_SCHOOL_SLUG)).one()
    assert school_id is not None
    with school_session(school_id) as db:
        rnd = db.exec(select(ConferenceRound).where(ConferenceRound.name == DEMO_ROUND_NAME)).one()
        rnd.status = "closed"
        db.add(rnd)
        db.commit()
        assert rnd.id is not None
        reach = opening_reach(db, round_id=rnd.id)
    return reach.pupils, reach.addresses


def assert_fits(watched: WatchedPage, element: Locator) -> None:
    """The element lies within the viewport's width (the page header's own 360 px overflow aside)."""
    box, width = element.bounding_box(), watched.page.viewport_size
    assert box is not None and width is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width["width"], box


def _mails() -> int:
    with unscoped() as db:
        return db.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_opening_a_round_asks_first_and_says_no_mail_goes_out(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    pupils, addresses = _close_round_and_count_reach()
    assert pupils > 0 and addresses > 0
    totp = enrol_demo_account("admin")
    mails = _mails()
    watched = open_page(PHONE_360)  # one log-in (a code is accepted once); the page is resized after
    demo_log_in(watched, "admin", totp=totp)
    for size, name in ((PHONE_360, "phone"), (DESKTOP, "desktop")):
        watched.page.set_viewport_size({"width": size["width"], "height": size["height"]})
        watched.goto("/school/rounds")
        expect(main_heading(watched)).to_have_text(text("rounds.title"))
        rounds = watched.page.locator("#rounds")
        rounds.get_by_role("button", name=text("rounds.open"), exact=True).click()
        dialog = watched.page.get_by_role("alertdialog")
        expect(dialog).to_contain_text("Ouders krijgen bij het openen geen e-mail.")
        expect(dialog).to_contain_text(f"De ouders van {pupils} leerlingen ({addresses} e-mailadressen)")
        expect(dialog).to_contain_text("direct na het openen")  # the demo's booking window opened already
        save_screenshot(watched.page, f"round-open-dialog-{name}")
        assert_fits(watched, dialog)
        answer_dialog(watched, "confirm.cancel")
        expect(rounds).to_contain_text(text("rounds.status.closed"))
        assert _round_status() == "closed"  # "Niet doen" did nothing

    rounds.get_by_role("button", name=text("rounds.open"), exact=True).click()
    answer_dialog(watched, "confirm.round_open.action")
    expect(watched.page.get_by_text(text("rounds.status_saved"))).to_be_visible()
    expect(rounds.get_by_role("button", name=text("rounds.close"), exact=True)).to_be_visible()
    assert _round_status() == "open"
    assert _mails() == mails  # as the dialog said: opening mails nobody
