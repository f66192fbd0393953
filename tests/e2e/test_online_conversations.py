"""Online conversations in the browser: a separated parent chooses online on a phone and sees the link
only from ten minutes before; the other household never gets it; the teacher joins from the evening page.

The video service is the school's own (a Jitsi address); OGP's pages load nothing from it: the links open
in a new tab, and no test clicks them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ConferenceRound, RoundTeacher, Slot
from ogp_app.models.base import utcnow
from ogp_app.models.video import FAMILY_CHOICE, JITSI, ONLINE
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.clock import hhmm
from ogp_app.services.rounds.online import setup
from tests.e2e.booking_steps import card, signed_in, signed_in_book
from tests.e2e.conftest import (
    OpenPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import (
    demo_log_in,
    enrol_demo_account,
    main_heading,
    seed_demo_school,
    text,
)
from tests.support.factories import Factory
from tests.support.rounds import World, build_world

pytestmark = pytest.mark.e2e

PHONE_360 = {"width": 360, "height": 780}
ROOM = re.compile(r"https://meet\.school\.example/ogp-[0-9a-f]{40}")


def _world(factory: Factory) -> tuple[World, datetime]:
    """Julia's separated parents each booked their own conversation; mum's link is due in 12 seconds."""
    w = build_world(factory)
    slots = w.slots(w.teacher_a)
    with school_session(w.school_id) as db:
        setup.configure_video(db, actor=w.admin, kind=JITSI, jitsi_base_url="https://meet.school.example/")
        setup.set_round_mode(db, actor=w.admin, round_id=w.round_id, mode=FAMILY_CHOICE)
        book(db, actor=w.admin, slot_id=slots[0].id, pupil_id=w.split_kid.id, household_id=w.mum_household.id)
        book(db, actor=w.admin, slot_id=slots[3].id, pupil_id=w.split_kid.id, household_id=w.dad_household.id)
    soon = utcnow().replace(microsecond=0) + timedelta(minutes=10, seconds=12)
    with unscoped() as db:  # the evening is now: mum's time moves to just over ten minutes from now
        slot = db.exec(select(Slot).where(Slot.id == slots[0].id)).one()
        slot.starts_at, slot.ends_at = soon, soon + timedelta(minutes=10)
        db.add(slot)
        db.commit()
    return w, slots[3].starts_at  # dad's time, in two weeks


def test_a_parent_chooses_online_on_a_phone_and_the_other_household_never_sees_her_link(
    open_page: OpenPage, factory: Factory
) -> None:
    w, dad_starts = _world(factory)
    mum = signed_in_book(open_page, factory, w.mum, w.school, viewport=PHONE_360)
    julia = card(mum, "Julia")
    expect(julia.get_by_role("button", name=text("online.on_site"))).to_have_attribute("aria-pressed", "true")
    expect(julia.locator(".join-link")).to_have_count(0)  # at school: no link
    julia.get_by_role("button", name=text("online.online")).click()
    expect(mum.page.get_by_text(text("online.chosen_online"))).to_be_visible()
    expect(julia.locator(".join-later")).to_be_visible()  # not yet: the time, and a countdown to it
    save_screenshot(mum.page, "book-online-countdown-phone-360")
    join = julia.get_by_role("link", name=text("online.join"))
    expect(join).to_be_visible(timeout=30_000)  # ten minutes before: the page fetches the link itself
    href = join.get_attribute("href") or ""
    assert ROOM.fullmatch(href)
    expect(join).to_have_attribute("target", "_blank")
    expect(join).to_have_attribute("rel", re.compile("noreferrer"))
    assert_no_horizontal_overflow(mum.page)
    save_screenshot(mum.page, "book-online-join-phone-360")

    dad = signed_in_book(open_page, factory, w.dad, w.school, viewport=PHONE_360)
    dad_julia = card(dad, "Julia")
    dad_julia.get_by_role("button", name=text("online.online")).click()
    expect(dad_julia.locator(".join-later")).to_contain_text(hhmm(dad_starts - timedelta(minutes=10)))
    expect(dad_julia.locator(".join-link")).to_have_count(0)  # not yet
    assert href.rsplit("/", 1)[1] not in dad.page.content()  # her room is nowhere on his page
    save_screenshot(dad.page, "book-online-later-phone-360")
    for watched in (mum, dad):
        watched.watch.assert_clean()  # nothing loaded from another host

    teacher = signed_in(open_page, factory, w.teacher_actor.user_id, w.school_id, path="/teacher/evening")
    expect(main_heading(teacher)).to_have_text(text("evening.title"))
    row = teacher.page.locator(".evening-row").filter(has_text="Julia").first
    teacher_join = row.get_by_role("link", name=text("online.join"))
    expect(teacher_join).to_have_attribute("href", href)  # one tap to the same room
    save_screenshot(teacher.page, "teacher-evening-online-desktop")
    teacher.watch.assert_clean()


def test_the_admin_sets_the_schools_jitsi_and_makes_a_round_the_familys_choice(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(PHONE_360)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    watched.goto("/school/settings")
    panel = page.locator("#school-video")
    panel.get_by_label(text("online.settings_kind")).select_option(JITSI)
    panel.get_by_label(text("online.settings_jitsi")).fill("https://192.168.1.10/")  # inside a school network
    panel.get_by_role("button", name=text("online.settings_save")).click()
    expect(panel.get_by_role("alert")).to_have_text(text("online.error.url"))
    panel.get_by_label(text("online.settings_jitsi")).fill("https://meet.school.example/")
    panel.get_by_role("button", name=text("online.settings_save")).click()
    expect(panel.get_by_text(text("online.settings_saved"))).to_be_visible()
    assert_no_horizontal_overflow(page)
    save_screenshot(page, "school-settings-video-phone-360")

    with unscoped() as db:
        round_id = db.exec(select(ConferenceRound.id).where(ConferenceRound.status == "open")).first()
    watched.goto(f"/school/round?id={round_id}")
    online = page.locator("#round-online")
    online.get_by_label(text("online.round_mode")).select_option(FAMILY_CHOICE)
    teacher_select = online.locator("select").nth(1)  # the first teacher of the round
    teacher_select.select_option(ONLINE)
    online.get_by_role("button", name=text("online.modes_save")).click()
    expect(online.get_by_text(text("online.modes_saved"))).to_be_visible()
    with unscoped() as db:
        modes = db.exec(select(ConferenceRound.conversation_mode).where(ConferenceRound.id == round_id)).one()
        overrides = db.exec(
            select(RoundTeacher.conversation_mode).where(RoundTeacher.round_id == round_id)
        ).all()
    assert modes == FAMILY_CHOICE and sorted(overrides, key=str) == sorted(
        [ONLINE, *[None] * (len(overrides) - 1)], key=str
    )
    assert_no_horizontal_overflow(page)
    assert_accessible(page, "/school/round (online panel)")
    save_screenshot(page, "school-round-online-phone-360")
    watched.watch.assert_clean()
