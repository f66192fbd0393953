"""Separated households in the browser: Julia's mum and dad each book their own conversation with her teacher,
and neither sees the other's time; a time one parent holds is gone from the other's grid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import col, select

from ogp_app.core.db import unscoped
from ogp_app.models import Booking
from tests.e2e.booking_steps import PHONE_390, card, signed_in_book
from tests.e2e.conftest import OpenPage, assert_no_horizontal_overflow, save_screenshot
from tests.e2e.journeys import answer_dialog, text
from tests.support.factories import Factory
from tests.support.rounds import build_world

pytestmark = pytest.mark.e2e


def test_each_household_books_its_own_meeting_and_sees_only_its_own(
    open_page: OpenPage, factory: Factory
) -> None:
    world = build_world(factory)
    mum = signed_in_book(open_page, factory, world.mum, world.school)
    dad = signed_in_book(open_page, factory, world.dad, world.school, viewport=PHONE_390)

    julia = card(mum, "Julia")
    julia.get_by_role("button", name=text("book.pick_time")).click()
    mum_grid = mum.page.locator("#slot-grid")
    expect(mum_grid.get_by_role("button").first).to_contain_text("19:00-19:10")
    mum.page.get_by_label(text("book.note_label")).fill("Graag over de overgang")
    mum_grid.get_by_role("button").first.click()
    expect(mum.page.get_by_text(text("book.done"))).to_be_visible()
    expect(julia).to_contain_text("19:00")

    dad.reload()  # dad opens the page after mum booked
    dad_julia = card(dad, "Julia")
    expect(dad_julia.get_by_role("button", name=text("book.pick_time"))).to_be_visible()
    expect(dad_julia).not_to_contain_text(text("book.booked"))  # mum's booking is not his
    expect(dad.page.get_by_text("Graag over de overgang")).to_have_count(0)
    dad_julia.get_by_role("button", name=text("book.pick_time")).click()
    dad_grid = dad.page.locator("#slot-grid")
    expect(dad_grid.get_by_role("button").first).to_contain_text("19:10-19:20")  # 19:00 is taken
    expect(dad_grid.get_by_role("button").filter(has_text="19:00-19:10")).to_have_count(0)
    dad_grid.get_by_role("button").nth(2).click()  # 19:30
    expect(dad.page.get_by_text(text("book.done"))).to_be_visible()
    expect(dad_julia).to_contain_text("19:30")
    expect(dad_julia).not_to_contain_text("19:00")
    assert_no_horizontal_overflow(dad.page)
    save_screenshot(dad.page, "book-household-dad-phone")

    mum.reload()
    expect(julia).to_contain_text("19:00")
    expect(julia).not_to_contain_text("19:30")  # dad's time stays his
    save_screenshot(mum.page, "book-household-mum-desktop")

    with unscoped() as db:
        bookings = db.exec(
            select(Booking).where(Booking.pupil_id == world.split_kid.id, col(Booking.cancelled_at).is_(None))
        ).all()
    assert len(bookings) == 2
    assert {b.household_key for b in bookings} == {world.mum_household.id, world.dad_household.id}

    # Mum cancels hers; dad's conversation is untouched.
    julia.get_by_role("button", name=text("book.cancel")).click()
    answer_dialog(mum, "confirm.book_cancel.action")
    expect(mum.page.get_by_text(text("book.cancelled"))).to_be_visible()
    dad.reload()
    expect(card(dad, "Julia")).to_contain_text("19:30")
    for watched in (mum, dad):
        watched.watch.assert_clean()
