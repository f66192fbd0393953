"""Two parents in two browsers click the same free time at the same moment: exactly one books it, the other
reads "just taken, pick another" and sees the grid without that time; the database holds one booking."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, expect
from sqlmodel import col, select

from ogp_app.core.db import unscoped
from ogp_app.models import Booking
from tests.e2e.booking_steps import card, signed_in_book
from tests.e2e.conftest import OpenPage, WatchedPage, save_screenshot
from tests.e2e.journeys import text
from tests.support.factories import Factory
from tests.support.rounds import build_world

pytestmark = pytest.mark.e2e

# Both clicks are scheduled for the same wall-clock instant in both pages (one machine, one clock), so
# neither waits for the other's answer; the server decides who wins.
CLICK_AT = """([selector, at]) => {
    const button = document.querySelector(selector);
    if (!button) { return false; }
    setTimeout(() => button.click(), Math.max(0, at - Date.now()));
    return true;
}"""


def _open_grid(watched: WatchedPage, child: str) -> Locator:
    card(watched, child).get_by_role("button", name=text("book.pick_time")).click()
    grid = watched.page.locator("#slot-grid")
    expect(grid.get_by_role("button").first).to_contain_text("19:00-19:10")
    return grid


def _active_bookings(slot_id: int) -> list[Booking]:
    with unscoped() as db:
        return list(
            db.exec(
                select(Booking).where(Booking.slot_id == slot_id, col(Booking.cancelled_at).is_(None))
            ).all()
        )


def test_two_parents_click_the_same_time_at_once_and_exactly_one_wins(
    open_page: OpenPage, factory: Factory
) -> None:
    world = build_world(factory)  # Noah (parent) and Liam (other parent) both meet teacher A
    first_slot = world.slots(world.teacher_a)[0]
    assert first_slot.id is not None
    noah_parent = signed_in_book(open_page, factory, world.parent, world.school)
    liam_parent = signed_in_book(open_page, factory, world.other_parent, world.school)
    grids = {"Noah": _open_grid(noah_parent, "Noah"), "Liam": _open_grid(liam_parent, "Liam")}

    selector = "#slot-grid button"  # the first button of the grid: 19:00-19:10 with teacher A, for both
    at = noah_parent.page.evaluate("Date.now()") + 400
    for watched in (noah_parent, liam_parent):
        assert watched.page.evaluate(CLICK_AT, [selector, at]), "the time button is missing"

    done, taken = text("book.done"), text("rounds.error.slot_taken")
    outcome = noah_parent.page.get_by_text(done).or_(noah_parent.page.get_by_text(taken))
    expect(outcome).to_be_visible()
    expect(liam_parent.page.get_by_text(done).or_(liam_parent.page.get_by_text(taken))).to_be_visible()
    noah_won = noah_parent.page.get_by_text(done).is_visible()
    winner, loser = (noah_parent, liam_parent) if noah_won else (liam_parent, noah_parent)
    winner_child, loser_child = ("Noah", "Liam") if noah_won else ("Liam", "Noah")

    expect(winner.page.get_by_text(done)).to_be_visible()
    expect(winner.page.get_by_text(taken)).to_have_count(0)
    expect(card(winner, winner_child)).to_contain_text("19:00")
    expect(loser.page.get_by_text(taken)).to_be_visible()
    expect(loser.page.get_by_text(done)).to_have_count(0)
    loser_grid = grids[loser_child]
    expect(loser_grid.get_by_role("button").first).to_contain_text("19:10-19:20")  # refreshed without it
    expect(loser_grid.get_by_role("button").filter(has_text="19:00-19:10")).to_have_count(0)
    save_screenshot(loser.page, "book-race-loser-desktop")

    bookings = _active_bookings(first_slot.id)
    assert len(bookings) == 1
    winner_pupil = world.kid_a if noah_won else world.other_kid
    assert bookings[0].pupil_id == winner_pupil.id

    # The loser picks the next time and gets it.
    loser_grid.get_by_role("button").first.click()
    expect(loser.page.get_by_text(done)).to_be_visible()
    expect(card(loser, loser_child)).to_contain_text("19:10")
    for watched in (winner, loser):
        watched.watch.assert_clean()
