"""A parent of three on a 360 px phone: two children with Juf in room 5, one with Meester in room 7, and
the school asks ten minutes to walk between rooms. Each child is booked at the first time the grid offers;
every one of them is accepted (the grid offers nothing booking refuses), the three times never overlap,
no time in the other room falls within the walk, and the page never scrolls sideways."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.models import Booking, Guardian, Slot
from ogp_app.services.rounds.clock import format_when
from tests.e2e.booking_steps import card, signed_in_book
from tests.e2e.conftest import OpenPage, assert_accessible, save_screenshot
from tests.e2e.journeys import text
from tests.e2e.test_parent_phone import PHONE_360, assert_fits
from tests.support.factories import Factory
from tests.support.rounds import build_world

pytestmark = pytest.mark.e2e
GAP = 10  # minutes between rooms


def test_a_parent_of_three_books_each_child_at_the_first_time_offered_on_a_phone(
    open_page: OpenPage, factory: Factory
) -> None:
    w = build_world(factory, family_gap=GAP)
    with school_session(w.school_id) as db:
        guardian = db.exec(select(Guardian).where(Guardian.user_id == w.parent.user_id)).one()
    factory.pupil(w.school, w.class_a, guardian, first_name="Sem", family_key=1)  # Noah's class: Juf again
    phone = signed_in_book(open_page, factory, w.parent, w.school, viewport=PHONE_360)
    page = phone.page
    grid = page.locator("#slot-grid")

    for child in ("Noah", "Emma", "Sem"):
        card(phone, child).get_by_role("button", name=text("book.pick_time")).click()
        expect(grid.get_by_role("button").first).to_be_visible()
        if child == "Emma":
            assert_fits(phone, "/book with the grid open")
            save_screenshot(page, "book-three-children-grid-phone")
        grid.get_by_role("button").first.click()
        expect(page.get_by_text(text("book.done"))).to_be_visible()  # not "just taken", not refused
        expect(card(phone, child).get_by_text(text("book.booked"))).to_be_visible()

    with school_session(w.school_id) as db:
        rows = db.exec(
            select(Booking.pupil_id, Slot.teacher_id, Slot.starts_at, Slot.ends_at)
            .join(Slot, Slot.id == Booking.slot_id)  # type: ignore[arg-type]
            .where(Booking.round_id == w.round_id, Booking.cancelled_at.is_(None))  # type: ignore[union-attr]
        ).all()
    assert len({pupil for pupil, *_ in rows}) == 3
    for _, teacher_a, starts_a, ends_a in rows:
        for _, teacher_b, starts_b, ends_b in rows:
            if starts_a == starts_b and teacher_a == teacher_b:
                continue  # the same booking
            walk = timedelta(minutes=GAP if teacher_a != teacher_b else 0)
            apart = ends_a + walk <= starts_b or ends_b + walk <= starts_a
            assert apart, f"{starts_a:%H:%M} and {starts_b:%H:%M} leave no time to walk"
    times = sorted(_shown_time(card(phone, c).inner_text()) for c in ("Noah", "Emma", "Sem"))
    assert times == sorted(
        format_when(starts, "nl", "HH:mm") for _, _, starts, _ in rows
    )  # what the page shows
    assert_fits(phone, "/book with three children booked")
    assert_accessible(page, "/book, three children booked, on a phone")
    save_screenshot(page, "book-three-children-booked-phone")


def _shown_time(card_text: str) -> str:
    found = re.search(r"\b(\d{2}:\d{2})\b", card_text)
    assert found, card_text
    return found.group(1)
