"""After the conversation, in the browser: the teacher marks it held and writes a note on a phone; the
family reads only the summary meant for it, and only once the school shares summaries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ConversationOutcome, School, Slot
from ogp_app.models.base import utcnow
from ogp_app.services.rounds.booking import book
from tests.e2e.booking_steps import card, signed_in, signed_in_book
from tests.e2e.conftest import OpenPage, assert_accessible, assert_no_horizontal_overflow, save_screenshot
from tests.e2e.journeys import main_heading, text
from tests.support.factories import Factory
from tests.support.rounds import build_world

pytestmark = pytest.mark.e2e

PHONE_360 = {"width": 360, "height": 780}


def test_a_teacher_marks_a_conversation_and_writes_a_note_on_a_phone(
    open_page: OpenPage, factory: Factory
) -> None:
    w = build_world(factory)
    slot = w.slots(w.teacher_a)[0]
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=slot.id, pupil_id=w.kid_a.id, note="Over lezen")
    earlier = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    with unscoped() as db:  # the conversation was half an hour ago
        row = db.exec(select(Slot).where(Slot.id == slot.id)).one()
        row.starts_at, row.ends_at = earlier, earlier + timedelta(minutes=10)
        db.add(row)
        db.commit()

    teacher = signed_in(
        open_page, factory, w.teacher_actor.user_id, w.school_id, viewport=PHONE_360, path="/teacher/evening"
    )
    expect(main_heading(teacher)).to_have_text(text("evening.title"))
    noah = teacher.page.locator(".evening-row").filter(has_text="Noah").first
    held = noah.get_by_role("button", name=text("outcomes.held"))
    held.click()
    expect(held).to_have_attribute("aria-pressed", "true")
    noah.get_by_role("button", name=text("outcomes.write_note")).click()
    teacher.page.get_by_label(text("outcomes.note_label")).fill("Extra leesbegeleiding afgesproken")
    teacher.page.get_by_label(text("outcomes.follow_up")).fill("2027-03-01")
    teacher.page.get_by_label(text("outcomes.summary_label")).fill("We lezen thuis elke dag 15 minuten.")
    teacher.page.get_by_role("button", name=text("outcomes.save")).click()
    expect(teacher.page.get_by_text(text("outcomes.saved"))).to_be_visible()
    expect(noah).to_contain_text("Extra leesbegeleiding afgesproken")
    assert_no_horizontal_overflow(teacher.page)
    assert_accessible(teacher.page, "/teacher/evening (after the conversation)")
    save_screenshot(teacher.page, "teacher-evening-outcome-phone-360")
    with unscoped() as db:
        [outcome] = db.exec(select(ConversationOutcome)).all()
    assert (outcome.attendance, str(outcome.follow_up_on)) == ("held", "2027-03-01")

    # Liam's family has not been seen this school year: one click sets up the invitation for him
    teacher.goto("/teacher/not-booked")
    not_seen = teacher.page.locator("#not-seen")
    expect(not_seen).not_to_contain_text("Noah")  # his conversation was held
    liam = not_seen.locator(".unseen-family").filter(has_text="Liam")
    with teacher.expect_page_load():
        liam.get_by_role("link", name=text("unseen.invite")).click()
    expect(teacher.page.locator("#invite_pupil option:checked")).to_contain_text("Liam")
    expect(teacher.page.get_by_text(text("outcomes.saved"))).to_have_count(0)  # no stale notice
    save_screenshot(teacher.page, "teacher-invite-unseen-phone-360")

    parent = signed_in_book(open_page, factory, w.parent, w.school, viewport=PHONE_360)
    expect(card(parent, "Noah")).not_to_contain_text("We lezen thuis")  # the school shares nothing yet
    with unscoped() as db:
        school = db.get(School, w.school_id)
        assert school is not None
        school.share_summaries = True
        db.add(school)
        db.commit()
    parent.reload()
    noah_card = card(parent, "Noah")
    expect(noah_card).to_contain_text("We lezen thuis elke dag 15 minuten.")
    expect(noah_card).not_to_contain_text("Extra leesbegeleiding")  # the staff's note stays with the staff
    assert "Extra leesbegeleiding" not in parent.page.content()
    save_screenshot(parent.page, "book-summary-phone-360")
    for watched in (teacher, parent):
        watched.watch.assert_clean()
