"""Booking in the browser: a parent books two children back-to-back, cancels and rebooks; the teacher sees
the evening; the admin sees the rounds with progress. Screenshots at desktop and phone width."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect
from sqlmodel import update

from ogp_app.core.db import unscoped
from ogp_app.core.settings import PROJECT_ROOT
from ogp_app.models import ConferenceRound
from ogp_app.models.base import utcnow
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
    enrol_demo_account,
    main_heading,
    seed_demo_school,
    text,
)

pytestmark = pytest.mark.e2e


def _open_book(watched: WatchedPage, *, by_menu: bool = True) -> None:
    demo_log_in(watched, "parent")
    if by_menu:
        with watched.expect_page_load():
            nav = watched.page.get_by_role("navigation")
            nav.get_by_role("link", name=text("nav.book"), exact=True).first.click()
    else:
        watched.goto("/book")
    expect(main_heading(watched)).to_have_text(text("book.title"))


def _card(watched: WatchedPage, child: str) -> Locator:
    return watched.page.locator("#meetings > div").filter(has_text=child)


def test_parent_books_two_children_back_to_back_cancels_and_rebooks(
    open_page: OpenPage, clean_db: None
) -> None:
    started = time.time()
    seed_demo_school()
    watched = open_page(DESKTOP)
    page = watched.page
    _open_book(watched)
    noah, emma = _card(watched, "Noah"), _card(watched, "Emma")
    expect(noah).to_contain_text("Juf Jansen")
    expect(emma).to_contain_text("Meester Bakker")
    calendar = page.get_by_role("link", name=text("book.calendar"))
    expect(calendar).to_have_count(0)  # nothing booked yet

    noah.get_by_role("button", name=text("book.pick_time")).click()
    grid = page.locator("#slot-grid")
    expect(grid.get_by_role("button").first).to_be_visible()
    expect(page.get_by_text(text("book.family_times_left_out"))).to_have_count(0)  # nothing booked yet
    page.get_by_label(text("book.note_label")).fill("Graag over rekenen")
    grid.get_by_role("button").first.click()  # 18:10, the first free time with Juf Jansen
    expect(page.get_by_text(text("book.done"))).to_be_visible()
    expect(noah).to_contain_text("18:10")

    emma.get_by_role("button", name=text("book.pick_time")).click()
    suggested = grid.get_by_role("button").filter(has_text=text("book.suggested"))
    expect(suggested).to_have_count(1)  # right before Noah's; 18:20, right after it, is taken
    expect(suggested).to_contain_text("18:00")
    # Noah is with Juf Jansen at 18:10: the grid never offers Emma a time she could not book
    expect(grid.get_by_role("button").filter(has_text="18:10-")).to_have_count(0)
    expect(page.get_by_text(text("book.family_times_left_out"))).to_be_visible()
    assert_accessible(page, "/book with the time grid")
    save_screenshot(page, "book-grid-desktop")
    suggested.click()
    expect(emma).to_contain_text("18:00")
    save_screenshot(page, "book-two-booked-desktop")
    with page.expect_download() as download_info:  # both conversations for the parent's own calendar
        calendar.click()
    assert download_info.value.suggested_filename == "oudergesprekken.ics"
    body = Path(download_info.value.path()).read_bytes()
    assert body.count(b"BEGIN:VEVENT") == 2 and b"Noah" in body and b"Emma" in body

    emma.get_by_role("button", name=text("book.cancel")).click()  # asks first; "Niet doen" keeps it
    expect(page.get_by_role("alertdialog")).to_contain_text("Emma de Vries, Meester Bakker")
    save_screenshot(page, "book-cancel-dialog-desktop")
    answer_dialog(watched, "confirm.cancel", expect_text=text("confirm.book_cancel.body"))
    expect(emma.get_by_text(text("book.booked"))).to_be_visible()
    expect(page.get_by_text(text("book.cancelled"))).to_have_count(0)
    emma.get_by_role("button", name=text("book.cancel")).click()
    answer_dialog(watched, "confirm.book_cancel.action")
    expect(page.get_by_text(text("book.cancelled"))).to_be_visible()
    expect(emma.get_by_role("button", name=text("book.pick_time"))).to_be_visible()
    emma.get_by_role("button", name=text("book.pick_time")).click()
    expect(grid.get_by_role("button").filter(has_text=text("book.suggested"))).to_have_count(1)
    expect(grid.get_by_role("button").filter(has_text="18:10-")).to_have_count(0)  # Noah's time
    grid.get_by_role("button").filter(has_text=text("book.suggested")).click()
    expect(emma.get_by_text(text("book.booked"))).to_be_visible()

    noah.get_by_role("button", name=text("book.move")).click()
    last = grid.get_by_role("button").last
    noah_at = (last.text_content() or "").split("-")[0]  # "16:50-17:00" (a mark would follow the end)
    last.click()
    expect(page.get_by_text(text("book.done"))).to_be_visible()
    expect(noah).not_to_contain_text("18:10")
    expect(noah).to_contain_text(noah_at)

    phone = open_page(PHONE)
    _open_book(phone, by_menu=False)
    expect(_card(phone, "Emma").get_by_text(text("book.booked"))).to_be_visible()
    assert_no_horizontal_overflow(phone.page)
    assert_accessible(phone.page, "/book on a phone")
    save_screenshot(phone.page, "book-phone")
    _card(phone, "Emma").get_by_role("button", name=text("book.cancel")).click()
    expect(phone.page.get_by_role("alertdialog")).to_be_visible()
    save_screenshot(phone.page, "book-cancel-dialog-phone")
    answer_dialog(phone, "confirm.cancel")
    expect(_card(phone, "Emma").get_by_text(text("book.booked"))).to_be_visible()
    _card(phone, "Emma").get_by_role("button", name=text("book.move")).click()  # Noah has moved since
    phone_grid = phone.page.locator("#slot-grid")
    expect(phone_grid.get_by_role("button").first).to_be_visible()
    expect(phone_grid.get_by_role("button").filter(has_text=f"{noah_at}-")).to_have_count(0)
    # the one mark is right before Noah's new time, none beside Emma's own time that she is moving
    expect(phone_grid.get_by_role("button").filter(has_text=text("book.suggested"))).to_have_count(1)
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "book-grid-sibling-booked-phone")

    # Past the round's cancel deadline the page no longer offers what the service would refuse
    with unscoped() as db:
        db.exec(update(ConferenceRound).values(cancel_until=utcnow() - timedelta(minutes=1)))
        db.commit()
    phone.goto("/book")
    emma_now = _card(phone, "Emma")
    expect(emma_now.get_by_text(text("book.change_closed"))).to_be_visible()
    expect(emma_now.get_by_role("button", name=text("book.cancel"))).to_have_count(0)
    expect(emma_now.get_by_role("button", name=text("book.move"))).to_have_count(0)
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "book-past-cancel-deadline-phone")
    # The page states (children's names, the note) stayed in the app's memory: Reflex's default wrote
    # them to .states/*.pkl in its working directory within two seconds of each event.
    written = [p for p in (PROJECT_ROOT / ".states").glob("*") if p.stat().st_mtime >= started]
    assert written == []


def test_teacher_sees_the_evening_with_pupil_note_and_room(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    for size, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        watched = open_page(size)
        demo_log_in(watched, "teacher")
        watched.goto("/teacher/evening")
        expect(main_heading(watched)).to_have_text(text("evening.title"))
        door_list = watched.page.locator("#door-list")
        expect(door_list).to_contain_text("Sem Yilmaz")
        expect(door_list).to_contain_text("Graag ook over het rapport")
        expect(watched.page.get_by_text("Lokaal 5")).to_be_visible()
        assert_no_horizontal_overflow(watched.page)
        save_screenshot(watched.page, f"teacher-evening-{name}")
    door_list.get_by_role("button", name=text("evening.block")).first.click()
    expect(door_list.get_by_text(text("evening.blocked"), exact=True)).to_have_count(1)


def test_admin_sees_rounds_with_progress(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    demo_log_in(watched, "admin", totp=totp)
    watched.goto("/school/rounds")
    expect(main_heading(watched)).to_have_text(text("rounds.title"))
    rounds = watched.page.locator("#rounds")
    expect(rounds).to_contain_text("Rapportgesprekken")
    expect(rounds).to_contain_text("Groep 5: 2/4")
    assert_accessible(watched.page, "/school/rounds")
    save_screenshot(watched.page, "school-rounds-desktop")
    rounds.get_by_role("button", name=text("rounds.remind")).click()
    expect(watched.page.get_by_text("herinnering(en)")).to_be_visible()


def test_loser_of_a_race_sees_just_taken_and_a_fresh_grid(open_page: OpenPage, clean_db: None) -> None:
    """The grid is open; another family takes the first time just before this parent clicks it."""
    seed_demo_school()
    watched = open_page(DESKTOP)
    page = watched.page
    _open_book(watched)
    _card(watched, "Noah").get_by_role("button", name=text("book.pick_time")).click()
    first = page.locator("#slot-grid").get_by_role("button").first
    expect(first).to_contain_text("18:10")
    _other_family_takes("Finn", "18:10")
    first.click()
    expect(page.get_by_text(text("rounds.error.slot_taken"))).to_be_visible()
    expect(page.locator("#slot-grid").get_by_role("button").first).not_to_contain_text("18:10")
    save_screenshot(page, "book-just-taken-desktop")


def _other_family_takes(first_name: str, at: str) -> None:
    from sqlmodel import select

    from ogp_app.core.db import school_session, unscoped
    from ogp_app.models import Pupil, Slot, Teacher
    from ogp_app.services.rounds.actor import Actor
    from ogp_app.services.rounds.booking import book
    from ogp_app.services.rounds.clock import hhmm
    from tests.e2e.journeys import demo_user

    admin = demo_user("admin")
    with unscoped() as db:
        pupil = db.exec(select(Pupil).where(Pupil.first_name == first_name)).one()
        teacher = db.exec(select(Teacher).where(Teacher.display_name == "Juf Jansen")).one()
        slot = next(
            s for s in db.exec(select(Slot).where(Slot.teacher_id == teacher.id)) if hhmm(s.starts_at) == at
        )
    assert admin.id is not None
    with school_session(pupil.school_id) as db:
        book(
            db,
            actor=Actor(user_id=admin.id, school_id=pupil.school_id, is_admin=True),
            slot_id=slot.id,
            pupil_id=pupil.id,
            send_mail=False,
        )
