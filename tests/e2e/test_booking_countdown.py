"""Before booking opens, /book counts down in the browser (Dutch and English) and, at zero, asks the server
again: the parent can book without reloading. After a round, /book links to the review form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import update

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ConferenceRound, User
from ogp_app.models.base import utcnow
from ogp_app.services.rounds.setup import set_status
from tests.e2e.booking_steps import PHONE_390, card, signed_in_book
from tests.e2e.conftest import (
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import text
from tests.support.factories import Factory
from tests.support.rounds import build_world

pytestmark = pytest.mark.e2e
CLOCK = re.compile(r"^\d\d:\d\d:\d\d$")
OPENS_IN = timedelta(seconds=45)  # long enough to load two pages on a busy machine


def test_countdown_ticks_in_both_languages_and_booking_opens_without_a_reload(
    open_page: OpenPage, factory: Factory
) -> None:
    world = build_world(factory, open_now=False)
    with unscoped() as db:
        db.exec(update(ConferenceRound).values(booking_opens_at=utcnow() + OPENS_IN))
        english = db.get(User, world.other_parent.user_id)
        assert english is not None
        english.preferred_language = "en"
        db.add(english)
        db.commit()
    dutch_page = signed_in_book(open_page, factory, world.parent, world.school)
    english_page = signed_in_book(open_page, factory, world.other_parent, world.school, language="en")

    for watched, language, child in ((dutch_page, "nl", "Noah"), (english_page, "en", "Liam")):
        page = watched.page
        expect(page.locator("#opens")).to_contain_text(text("book.opens_at", language))
        expect(page.locator("#opens")).to_contain_text(text("book.countdown", language) + " ")
        clock = page.locator("#opens-countdown")
        expect(clock).to_have_text(CLOCK)
        expect(card(watched, child)).to_contain_text(text("book.not_open", language))
        expect(card(watched, child).get_by_role("button")).to_have_count(0)
    first = int(dutch_page.page.locator("#opens-countdown").get_attribute("data-remaining-seconds") or 0)
    assert 0 < first <= OPENS_IN.total_seconds()
    expect(dutch_page.page.locator("#opens-countdown")).not_to_have_attribute(
        "data-remaining-seconds", str(first)
    )  # it ticks in the browser
    assert_accessible(dutch_page.page, "/book with the countdown")
    save_screenshot(dutch_page.page, "book-countdown-desktop")
    loads_before = dutch_page.watch.hydrations

    # At zero the page asks the server again; booking opens without a reload (the server decided).
    for watched, language, child in ((dutch_page, "nl", "Noah"), (english_page, "en", "Liam")):
        button = card(watched, child).get_by_role("button", name=text("book.pick_time", language))
        expect(button).to_be_visible(timeout=60_000)
        expect(watched.page.locator("#opens-countdown")).to_have_count(0)
    assert dutch_page.watch.hydrations == loads_before, "the page was reloaded"
    card(dutch_page, "Noah").get_by_role("button", name=text("book.pick_time")).click()
    dutch_page.page.locator("#slot-grid").get_by_role("button").first.click()
    expect(dutch_page.page.get_by_text(text("book.done"))).to_be_visible()
    for watched in (dutch_page, english_page):
        watched.watch.assert_clean()


def test_phones_whose_clocks_are_minutes_off_count_down_to_the_real_opening(
    open_page: OpenPage, factory: Factory
) -> None:
    """The countdown counts by the server's clock: a phone ten minutes ahead neither reaches zero at once
    (and gives up asking) nor, ten minutes behind, opens booking ten minutes after everyone else."""
    world = build_world(factory, open_now=False)
    opens = utcnow() + OPENS_IN
    with unscoped() as db:
        db.exec(update(ConferenceRound).values(booking_opens_at=opens))
        db.commit()
    pages: list[WatchedPage] = []
    skews = (timedelta(minutes=10), -timedelta(minutes=10))
    for parent, skew, child in zip((world.parent, world.other_parent), skews, ("Noah", "Liam"), strict=True):
        asked = utcnow()
        watched = signed_in_book(open_page, factory, parent, world.school, clock_skew=skew)
        shown = int(watched.page.locator("#opens-countdown").get_attribute("data-remaining-seconds") or 0)
        read = utcnow()
        # The page says how long it is from the server's time when it went out (between ``asked`` and
        # ``read``), so the phone shows at most opens - asked, and at least what is left at ``read`` (it
        # counts the page's delivery on top); +-1 for the rounded second. Bounds from this run's clock, not
        # a guessed tolerance: a phone counting by its own clock would be ten minutes off either way.
        least = (opens - read).total_seconds() - 1
        most = (opens - asked).total_seconds() + 1
        assert least <= shown <= most, (
            f"{child}'s phone counts {shown} s, not within [{least:.1f}, {most:.1f}]"
        )
        button = card(watched, child).get_by_role("button", name=text("book.pick_time"))
        expect(button).to_have_count(0)
        pages.append(watched)
    for watched, child in zip(pages, ("Noah", "Liam"), strict=True):
        button = card(watched, child).get_by_role("button", name=text("book.pick_time"))
        expect(button).to_be_visible(timeout=int((opens - utcnow()).total_seconds() * 1000) + 10_000)
        assert utcnow() >= opens - timedelta(seconds=1), "booking showed open before the server's opening"
        watched.watch.assert_clean()


def test_a_countdown_of_days_fits_a_phone(open_page: OpenPage, factory: Factory) -> None:
    world = build_world(factory, open_now=False)
    with unscoped() as db:
        db.exec(update(ConferenceRound).values(booking_opens_at=utcnow() + timedelta(days=2, hours=3)))
        db.commit()
    phone = signed_in_book(open_page, factory, world.parent, world.school, viewport=PHONE_390)
    clock = phone.page.locator("#opens-countdown")
    expect(clock).to_contain_text(f"2 {text('book.countdown_days')} ")
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "book-countdown-phone")


def test_after_the_round_the_parent_is_invited_to_review(open_page: OpenPage, factory: Factory) -> None:
    world = build_world(factory)
    watched = signed_in_book(open_page, factory, world.parent, world.school)
    expect(watched.page.locator("#review-link")).to_have_count(0)  # the round is still running
    with school_session(world.school_id) as db:
        set_status(db, actor=world.admin, round_id=world.round_id, status="closed")
    watched.reload()
    link = watched.page.get_by_role("link", name=text("book.review_link"))
    expect(link).to_be_visible()
    expect(watched.page.get_by_text("Rapportgesprekken", exact=False).first).to_be_visible()
    assert link.get_attribute("href") == "/review"
    save_screenshot(watched.page, "book-review-link-desktop")
    watched.watch.assert_clean()
