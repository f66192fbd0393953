"""Households and "who has not booked" in the browser: the import preview's count and choice for pupils
with parents in two households; the round page's families still to book and a reminder to one class; a
teacher's own classes at /teacher/not-booked; on /book a joint meeting booked by the other parent says who
booked it. Screenshots at desktop width and on a 360x740 phone, no horizontal overflow on the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Guardian, Pupil
from ogp_app.services.rounds.booking import book
from tests.e2e.booking_steps import card, signed_in, signed_in_book
from tests.e2e.conftest import (
    DESKTOP,
    OpenPage,
    assert_accessible,
    save_screenshot,
)
from tests.e2e.journeys import (
    demo_log_in,
    enrol_demo_account,
    main_heading,
    seed_demo_school,
    text,
)
from tests.e2e.test_roster_import_journey import _upload
from tests.support.factories import Factory
from tests.support.rounds import build_world

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 740}


def test_admin_chooses_the_meeting_of_separated_parents_and_reminds_one_class(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    watched.goto("/school/roster/import")
    _upload(watched, "parnassys_semicolon_bom.csv")  # Mila's parents live at two addresses
    page.get_by_role("button", name=text("roster.page.preview")).click()
    expect(page.locator("#separated-count")).to_contain_text("1")
    choice = page.locator("#separated-choice")
    expect(choice.get_by_role("radio").first).to_be_checked()  # a conversation per household
    choice.get_by_text(text("households.mode.joint")).click()
    expect(choice.get_by_role("radio").nth(1)).to_be_checked()
    save_screenshot(page, "households-import-choice-desktop")
    assert_accessible(page, "/school/roster/import (preview, separated parents)")
    page.locator("#start-import").click()
    expect(page.locator("#roster-done")).to_be_visible()
    with unscoped() as db:
        modes = {p.first_name: p.meeting_mode for p in db.exec(select(Pupil)).all()}
    assert modes["Mila"] == "joint" and modes["Daan"] == "joint"

    # The guardian page shows and changes a parent's language (the file had none for Petra).
    watched.goto("/school/guardians")
    petra = page.locator("#guardian-list > *").filter(has_text="petra@example.org")
    petra.get_by_role("button", name=text("manage.edit")).click()
    form = page.locator("#guardian-form")
    form.get_by_label(text("households.guardian.language"), exact=True).fill("Klingons")
    form.get_by_role("button", name=text("manage.save")).click()
    expect(page.get_by_text(text("households.error.language_form"))).to_be_visible()
    form.get_by_label(text("households.guardian.language"), exact=True).fill("Engels")
    form.get_by_role("button", name=text("manage.save")).click()
    expect(petra).to_contain_text(text("households.guardian.language") + ": Engels")
    save_screenshot(page, "households-guardian-language-desktop")
    with unscoped() as db:
        assert db.exec(select(Guardian.language).where(Guardian.email == "petra@example.org")).one() == "en"

    watched.goto("/school/rounds")
    page.locator("#rounds").get_by_role("link", name=text("round.details")).first.click()
    expect(main_heading(watched)).to_have_text("Rapportgesprekken")
    lists = page.locator(".not-booked")
    expect(lists).to_contain_text(text("households.not_booked.never"))
    first_class = lists.locator("> div").first
    first_class.get_by_role("button", name=text("households.not_booked.remind")).click()
    reminded = text("rounds.reminded").split("} ", 1)[1]  # "{count} reminder(s) queued."
    expect(page.locator("#round-progress")).to_contain_text(reminded)
    expect(first_class).not_to_contain_text(text("households.not_booked.never"))
    save_screenshot(page, "households-not-booked-admin-desktop")
    page.set_viewport_size({"width": 360, "height": 740})
    save_screenshot(page, "households-not-booked-admin-phone")
    # The progress section fits the phone (the rest of the admin's round page is another helper's work).
    assert _wider_than_phone(page, "#round-progress") == []
    watched.watch.assert_clean()


def _wider_than_phone(page: Page, selector: str) -> list[str]:
    """Elements of ``selector`` (itself included) that reach past a 360 px screen's right edge."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector + ', ' + selector + ' *')]
            .filter(e => e.getBoundingClientRect().right > 360.5)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""",
        selector,
    )


def test_joint_meeting_shows_who_booked_and_a_teacher_sees_their_classes(
    open_page: OpenPage, factory: Factory
) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        julia = db.get(Pupil, w.split_kid.id)
        assert julia is not None
        julia.meeting_mode = "joint"
        db.add(julia)
        db.commit()
        mum_name = db.exec(select(Guardian.display_name).where(Guardian.user_id == w.mum.user_id)).one()
        slot = w.slots(w.teacher_a)[0].id
        book(db, actor=w.mum, slot_id=slot, pupil_id=w.split_kid.id, note="Over lezen")

    dad = signed_in_book(open_page, factory, w.dad, w.school, viewport=PHONE_360)
    julia_card = card(dad, "Julia")
    expect(julia_card).to_contain_text(text("households.book.booked_by").format(name=mum_name))
    expect(julia_card).to_contain_text(text("households.book.note") + " Over lezen")
    expect(julia_card).not_to_contain_text(text("book.your_note"))
    save_screenshot(dad.page, "households-joint-booked-by-phone")
    # Julia's card fits (a 360 px /book as a whole is the "parent" helper's item 4 of issue 19).
    assert _wider_than_phone(dad.page, "#meetings") == []
    mum = signed_in_book(open_page, factory, w.mum, w.school)
    expect(card(mum, "Julia")).to_contain_text(text("book.your_note"))
    expect(card(mum, "Julia")).not_to_contain_text(mum_name)

    teacher = signed_in(
        open_page,
        factory,
        w.teacher_actor.user_id,
        w.school_id,
        viewport=PHONE_360,
        path="/teacher/not-booked",
    )
    expect(main_heading(teacher)).to_have_text(text("households.not_booked.title"))
    lists = teacher.page.locator(".not-booked")
    expect(lists).to_contain_text("Groep 5")
    expect(lists).to_contain_text("Liam Jansen")
    expect(lists).not_to_contain_text("Groep 7")  # not a class of this teacher
    expect(lists).not_to_contain_text("Julia")  # booked (jointly, by her mum)
    expect(teacher.page.get_by_role("button", name=text("households.not_booked.remind"))).to_have_count(0)
    assert _wider_than_phone(teacher.page, "main") == []  # the header at 360 px: the "parent" helper's
    save_screenshot(teacher.page, "households-not-booked-teacher-phone")
    assert_accessible(teacher.page, "/teacher/not-booked")
    teacher.page.set_viewport_size({"width": 1280, "height": 900})
    save_screenshot(teacher.page, "households-not-booked-teacher-desktop")
    with teacher.expect_page_load():
        teacher.page.get_by_role("link", name=text("households.not_booked.back")).click()
    expect(teacher.page.get_by_role("link", name=text("households.not_booked.link"))).to_be_visible()
    for watched in (dad, mum, teacher):
        watched.watch.assert_clean()
