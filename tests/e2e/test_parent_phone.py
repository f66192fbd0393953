"""A family and a teacher on a 360 px phone, with a long e-mail address and long names in the data: the
expired invitation mails a fresh link with one click, accepting it lands on /book with "Gesprekken plannen"
first on screen; no page a parent or teacher sees scrolls sideways; the teacher's evening keeps its buttons
within reach. Screenshots of the changed pages at phone and desktop width."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select, update

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Guardian, OneTimeToken, Pupil, Role, Teacher
from ogp_app.models.base import utcnow
from ogp_app.services.roster_admin.roster_accounts import invite_person
from ogp_app.services.rounds.booking import book
from tests.e2e.booking_steps import signed_in
from tests.e2e.conftest import DESKTOP, OpenPage, WatchedPage, assert_accessible, save_screenshot
from tests.e2e.journeys import main_heading, text
from tests.e2e.test_auth_journeys import click_and_load
from tests.support.accounts import mails
from tests.support.factories import Factory
from tests.support.rounds import World, build_world

pytestmark = pytest.mark.e2e

PHONE_360 = {"width": 360, "height": 740}
LONG_EMAIL = "maria-constantijn.van-der-heijden-de-groot-tot-oosterhout@ziggo-zakelijk-thuiswerk.example.nl"
LONG_NAME = "Maria Constantijn van der Heijden-de Groot tot Oosterhout-Wijnbergen"
PARENT_PAGES = ["/book", "/app", "/account", "/account/two-factor", "/privacy/me", "/privacy", "/faq", "/"]
TEACHER_PAGES = ["/teacher/evening", "/app", "/school/pupils", "/school/guardians", "/account", "/privacy/me"]


def assert_fits(watched: WatchedPage, path: str) -> None:
    width, inner = watched.page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= inner, f"{path} scrolls sideways at {inner}px: scrollWidth {width}px"


def _long_family(factory: Factory, w: World) -> Guardian:
    """A mother with the longest address and name on the roster, of Noah's class and Emma's."""
    mum = factory.guardian(w.school, email=LONG_EMAIL)
    with unscoped() as db:
        db.exec(update(Guardian).where(Guardian.id == mum.id).values(display_name=LONG_NAME))  # type: ignore[arg-type]
        db.commit()
    long = {"name_prefix": "van der", "last_name": "Heijden-de Groot tot Oosterhout-Wijnbergen"}
    factory.pupil(w.school, w.class_a, mum, first_name="Maximiliaan-Alexander", **long)
    factory.pupil(w.school, w.class_b, mum, first_name="Anne-Fleur", **long)
    return mum


def _invitation_link() -> str:
    """The link of the newest invitation to the long address (the app's mails carry the app's own origin)."""
    found = re.search(
        r"/invitation\?token=[A-Za-z0-9_-]+", mails(to=LONG_EMAIL, template="invitation")[-1].text_body
    )
    assert found
    return found.group(0)


def test_a_parent_refreshes_an_expired_invitation_lands_on_book_and_no_page_scrolls_sideways(
    open_page: OpenPage, factory: Factory
) -> None:
    w = build_world(factory)
    mum = _long_family(factory, w)
    assert mum.id is not None
    with school_session(w.school_id) as db:
        invite_person(
            db,
            school_id=w.school_id,
            admin_user_id=w.admin.user_id,
            kind="guardian",
            person_id=mum.id,
            language="nl",
        )
    old = _invitation_link()
    with unscoped() as db:  # a week and more went by
        db.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()

    phone = open_page(PHONE_360)
    page = phone.page
    phone.goto(old)
    expect(page.get_by_text(text("parent.invitation.expired_body"))).to_be_visible()
    assert_fits(phone, "/invitation (expired)")
    assert_accessible(page, "/invitation expired")
    save_screenshot(page, "invitation-expired-phone")
    desktop = open_page(DESKTOP)
    desktop.goto(old)
    save_screenshot(desktop.page, "invitation-expired-desktop")

    click_and_load(phone, text("parent.invitation.refresh_button"))
    expect(page.get_by_role("status")).to_have_text(text("parent.invitation.refreshed"))
    expect(page.get_by_role("button", name=text("parent.invitation.refresh_button"))).to_have_count(0)
    assert (
        len(mails(to=LONG_EMAIL, template="invitation")) == 2
    )  # queued by the click, to the address on file
    fresh = _invitation_link()
    assert fresh != old
    phone.goto(fresh)
    click_and_load(phone, text("invitation.button"))
    expect(page).to_have_url(re.compile(re.escape(phone.url("/book")) + "/?$"))
    expect(main_heading(phone)).to_have_text(text("book.title"))
    expect(page.locator("#meetings")).to_contain_text("Maximiliaan-Alexander")
    save_screenshot(page, "book-landing-phone")
    phone.goto("/app")  # elsewhere the task is on screen under the header, not behind the menu
    task = page.locator("#parent-task")
    expect(task).to_have_text(text("nav.book"))
    box = task.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE_360["height"] and box["width"] > 200
    save_screenshot(page, "app-parent-phone")
    with phone.expect_page_load():
        task.click()
    expect(main_heading(phone)).to_have_text(text("book.title"))
    expect(page.locator("#parent-task")).to_have_count(0)  # the page's heading says it

    for path in PARENT_PAGES:
        phone.goto(path)
        assert_fits(phone, path)
    save_screenshot(page, "parent-front-page-phone")


def test_the_teachers_evening_fits_a_phone_with_its_buttons_in_reach(
    open_page: OpenPage, factory: Factory
) -> None:
    w = build_world(factory)
    mum = _long_family(factory, w)
    with unscoped() as db:
        teacher = db.get(Teacher, w.teacher_a.id)
        assert teacher is not None
        teacher.display_name = "Meester Bartholomeus van Oldenbarnevelt-Strijensas"
        db.add(teacher)
        db.commit()
        kid = db.exec(select(Pupil).where(Pupil.first_name == "Maximiliaan-Alexander")).one()
    mum_user = factory.member(w.school, Role.PARENT)
    with unscoped() as db:
        db.exec(update(Guardian).where(Guardian.id == mum.id).values(user_id=mum_user.id))  # type: ignore[arg-type]
        db.commit()
    with school_session(w.school_id) as db:
        book(
            db,
            actor=w.admin,
            slot_id=w.slots(w.teacher_a)[1].id,
            pupil_id=kid.id,
            note="x" * 200,
            send_mail=False,
        )

    for viewport, name in ((PHONE_360, "phone"), (DESKTOP, "desktop")):
        watched = signed_in(open_page, factory, w.teacher_actor.user_id, w.school_id, viewport=viewport)
        watched.goto("/teacher/evening")
        evening = watched.page.locator("#door-list")
        expect(evening).to_contain_text("Maximiliaan-Alexander")
        expect(watched.page.locator("#evening-heading")).to_contain_text("Lokaal 5")
        times = evening.locator(".evening-row")
        expect(times).to_have_count(6)  # 19:00-20:00 in tens, each once
        assert_fits(watched, "/teacher/evening")
        save_screenshot(watched.page, f"teacher-evening-{name}")

    phone = signed_in(open_page, factory, w.teacher_actor.user_id, w.school_id, viewport=PHONE_360)
    phone.goto("/teacher/evening")
    evening = phone.page.locator("#door-list")
    buttons = evening.get_by_role("button", name=text("evening.block"))
    expect(buttons).to_have_count(5)  # every free time, none of them out of reach
    for i in range(5):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_360["width"]
    buttons.first.click()
    expect(evening.get_by_text(text("evening.blocked"), exact=True)).to_have_count(1)
    assert_accessible(phone.page, "/teacher/evening on a phone")
    for path in TEACHER_PAGES:
        phone.goto(path)
        assert_fits(phone, path)
