"""Onboarding and the manual roster pages in Chromium against the production build.

(a) the admin of a new school goes through the wizard (a bad BRIN code names the field, the agreement
is accepted, a teacher is invited), adds a class and a pupil by hand and archives the pupil;
(b) a teacher sees only their own class; (c) the demo admin lands on the overview, not the wizard.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Locator, expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import PolicyAcceptance, Role, School, Teacher
from ogp_app.models.base import utcnow
from ogp_app.services.auth.passwords import hash_password
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, demo_user, main_heading, seed_demo_school, text
from tests.integration.test_billing_local import pdf_text
from tests.support.accounts import STRONG
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor

pytestmark = pytest.mark.e2e


def at(watched: WatchedPage, path: str) -> None:
    expect(watched.page).to_have_url(re.compile(re.escape(watched.url(path)) + r"/?(\?.*)?$"))


def check_page(watched: WatchedPage, name: str) -> None:
    """One h1, no sideways scrolling, axe clean, a screenshot to look at."""
    assert watched.page.get_by_role("heading", level=1).count() == 1
    assert_no_horizontal_overflow(watched.page)
    assert_accessible(watched.page, name)
    size = watched.page.viewport_size
    viewport = "phone" if size is not None and size["width"] == PHONE["width"] else "desktop"
    save_screenshot(watched.page, f"{name}-{viewport}")


def log_in(watched: WatchedPage, email: str, totp: pyotp.TOTP) -> None:
    """Password, then the authenticator code; ends hydrated wherever /app sends the person."""
    page = watched.page
    watched.goto("/login")
    form = page.locator("form[action='/api/auth/login']")
    form.get_by_label(text("auth.email")).fill(email)
    form.get_by_label(text("auth.password")).fill(STRONG)
    with watched.expect_page_load():
        page.get_by_role("button", name=text("login.submit"), exact=True).click()
    page.get_by_label(text("two_factor_prompt.code")).fill(totp.now())
    with watched.expect_page_load():
        page.get_by_role("button", name=text("two_factor_prompt.submit"), exact=True).click()


def step_button(watched: WatchedPage, key: str) -> Locator:
    checklist = watched.page.locator("#onboarding-checklist")
    return checklist.get_by_role("button", name=re.compile("^" + re.escape(text(key))))


def row(watched: WatchedPage, list_id: str, name: str) -> Locator:
    return watched.page.locator(f"#{list_id} li").filter(has_text=name)


@pytest.fixture
def new_school_admin(factory: Factory) -> tuple[School, str, pyotp.TOTP]:
    school = factory.school("Basisschool De Vlinder", slug=f"vlinder-{time.time_ns()}")
    email = f"bea.{time.time_ns()}@vlinder.example"
    admin = factory.member(
        school,
        Role.SCHOOL_ADMIN,
        factory.user(email, "Bea Beheer", password_hash=hash_password(STRONG), email_verified_at=utcnow()),
    )
    assert admin.id is not None
    factory.session.commit()
    return school, email, enrol_two_factor(admin.id, label=email).totp


def test_new_admin_sets_up_the_school_and_enters_a_pupil_by_hand(
    open_page: OpenPage, new_school_admin: tuple[School, str, pyotp.TOTP]
) -> None:
    school, email, totp = new_school_admin
    watched = open_page(DESKTOP)
    page = watched.page
    log_in(watched, email, totp)
    at(watched, "/school/onboarding")  # /app sends the admin of a school that is not set up here
    expect(main_heading(watched)).to_have_text(text("onboarding.title"))
    check_page(watched, "onboarding-details")

    # (1) details, first with a BRIN code that is not 2 digits and 2 letters
    page.get_by_label(text("onboarding.details.brin_code")).fill("1234")
    page.get_by_label(text("onboarding.details.street_address")).fill("Kerkstraat 1")
    page.get_by_label(text("onboarding.details.postal_code")).fill("3511ab")
    page.get_by_label(text("onboarding.details.city")).fill("Utrecht")
    page.get_by_label(text("onboarding.details.invoice_email")).fill("administratie@vlinder.example")
    page.get_by_role("button", name=text("onboarding.details.save")).click()
    expect(page.locator("#brin_code-error")).to_have_text(text("onboarding.error.brin_code"))
    expect(page.get_by_role("alert")).to_have_text(text("onboarding.error.details"))
    expect(page.get_by_label(text("onboarding.details.city"))).to_have_value("Utrecht")  # kept
    check_page(watched, "onboarding-details-error")
    page.get_by_label(text("onboarding.details.brin_code")).fill("12ab")
    page.get_by_role("button", name=text("onboarding.details.save")).click()
    expect(page.get_by_role("status")).to_have_text(text("onboarding.details.saved"))

    # (2) the processor agreement: refused unticked, then accepted
    expect(page.locator("#onboarding-agreement")).to_be_visible()
    page.get_by_role("button", name=text("onboarding.agreement.submit"), exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(text("onboarding.agreement.tick"))
    check_page(watched, "onboarding-agreement")
    page.set_viewport_size({"width": 360, "height": 740})
    save_screenshot(page, "onboarding-agreement-phone-360")
    page.set_viewport_size({"width": DESKTOP["width"], "height": DESKTOP["height"]})
    page.get_by_role("checkbox", name=text("onboarding.agreement.checkbox")).click()
    page.get_by_role("button", name=text("onboarding.agreement.submit"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(text("onboarding.agreement.accepted"))
    page.locator("#onboarding-checklist").get_by_text(text("onboarding.step.agreement")).click()
    with page.expect_download() as download_info:  # the agreement as accepted, with this school's name
        page.get_by_role("link", name=text("agreement.download")).click()
    agreement = " ".join(pdf_text(download_info.value.path().read_bytes()).split())
    assert school.name in agreement and "digitaal aanvaard op" in agreement
    page.locator("#onboarding-checklist").get_by_text(text("onboarding.step.colleagues")).click()

    # (3) a teacher is invited by e-mail
    teacher_email = f"juf.kim.{time.time_ns()}@vlinder.example"
    expect(page.locator("#onboarding-colleagues")).to_be_visible()
    page.get_by_label(text("school.invite.name")).fill("Juf Kim")
    page.get_by_label(text("school.invite.email")).fill(teacher_email)
    page.get_by_role("button", name=text("school.invite.submit")).click()
    expect(page.get_by_role("status")).to_have_text(
        text("onboarding.colleagues.sent").format(email=teacher_email)
    )
    expect(page.locator("#invited")).to_contain_text(teacher_email)
    for key in ("details", "agreement", "colleagues"):
        expect(step_button(watched, f"onboarding.step.{key}")).to_contain_text(
            text("onboarding.step.is_done")
        )
    expect(step_button(watched, "onboarding.step.roster")).not_to_contain_text(
        text("onboarding.step.is_done")
    )
    check_page(watched, "onboarding-colleagues")

    # each step can be revisited: the details are still there
    step_button(watched, "onboarding.step.details").click()
    expect(page.get_by_label(text("onboarding.details.brin_code"))).to_have_value("12AB")
    expect(page.get_by_label(text("onboarding.details.postal_code"))).to_have_value("3511 AB")
    step_button(watched, "onboarding.step.roster").click()
    expect(page.get_by_role("link", name=text("onboarding.roster.import"))).to_have_attribute(
        "href", "/school/roster/import"
    )
    check_page(watched, "onboarding-roster")

    # (4) a class and a pupil by hand, then the pupil is archived
    watched.goto("/school/classes")
    expect(main_heading(watched)).to_have_text(text("manage.classes.title"))
    page.get_by_text(text("manage.class.add"), exact=True).click()  # the form opens from its title
    page.get_by_label(text("manage.class.name")).fill("Groep 3")
    page.get_by_role("button", name=text("manage.save")).click()
    expect(row(watched, "class-list", "Groep 3")).to_be_visible()
    check_page(watched, "roster-classes")

    watched.goto("/school/pupils")
    page.get_by_text(text("manage.pupil.add"), exact=True).click()
    page.get_by_label(text("manage.pupil.first_name")).fill("Lieke")
    page.get_by_label(text("manage.pupil.last_name")).fill("Jansen")
    page.get_by_label(text("manage.pupil.number")).fill("5001")
    page.locator("#pupil-form").get_by_label(text("manage.pupil.class")).select_option(label="Groep 3")
    page.get_by_role("button", name=text("manage.save")).click()
    lieke = row(watched, "pupil-list", "Lieke Jansen")
    expect(lieke).to_contain_text("Groep 3")
    check_page(watched, "roster-pupils")
    lieke.get_by_role("button", name=text("manage.archive")).click()
    expect(page.get_by_role("status")).to_have_text(text("manage.archived"))
    expect(lieke).to_have_count(0)
    page.get_by_label(text("manage.show_archived")).check()
    page.get_by_role("button", name=text("manage.search_button")).click()
    expect(row(watched, "pupil-list", "Lieke Jansen")).to_be_visible()

    # (5) finish: /app is the overview from now on
    watched.goto("/school/onboarding")
    step_button(watched, "onboarding.step.done").click()
    with watched.expect_page_load():
        page.get_by_role("button", name=text("onboarding.done.submit")).click()
    at(watched, "/app")
    expect(main_heading(watched)).to_contain_text("Bea Beheer")

    with unscoped() as db:
        stored = db.get(School, school.id)
        assert stored is not None and stored.brin_code == "12AB" and stored.onboarding_completed_at
        acceptance = db.exec(select(PolicyAcceptance).where(PolicyAcceptance.school_id == school.id)).one()
        assert acceptance.document == "processor_agreement" and acceptance.version
        assert db.exec(select(Teacher).where(Teacher.email == teacher_email)).one().user_id is not None
    watched.watch.assert_clean()


def test_teacher_sees_only_their_own_class(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()  # Juf Jansen teaches Groep 5; Meester Bakker Groep 7
    watched = open_page(PHONE)
    page = watched.page
    demo_log_in(watched, "teacher")
    page.get_by_role("button", name=text("nav.menu")).click()
    with watched.expect_page_load():
        page.get_by_role("dialog").get_by_role("link", name=text("nav.roster")).click()
    at(watched, "/school/pupils")
    rows = page.locator("#pupil-list li")
    expect(rows.first).to_be_visible()
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text("Groep 5")
    expect(page.locator("#pupil-list")).not_to_contain_text("Groep 7")
    expect(page.locator("#pupil-form")).to_have_count(0)  # read-only
    expect(page.get_by_role("button", name=text("manage.archive"))).to_have_count(0)
    check_page(watched, "roster-pupils-teacher")

    watched.goto("/school/guardians")
    expect(page.locator("#guardian-list")).to_contain_text("Sanne de Vries")  # Noah's mother, Groep 5
    expect(page.locator("#guardian-list")).not_to_contain_text("Joost Smit")  # his child is in Groep 7
    check_page(watched, "roster-guardians-teacher")

    watched.goto("/school/teachers")
    expect(page.locator("#no-access")).to_be_visible()
    expect(page.get_by_text("meester.bakker@regenboog.example")).to_have_count(0)
    watched.goto("/school/onboarding")
    expect(page.locator("#no-access")).to_be_visible()
    watched.watch.assert_clean()


def test_demo_admin_lands_on_the_overview_and_manages_the_roster(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    admin = demo_user("admin")
    assert admin.id is not None
    totp = enrol_two_factor(admin.id, label=admin.email).totp
    watched = open_page(PHONE)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)  # lands on /app: the demo school has finished onboarding
    expect(main_heading(watched)).to_contain_text(admin.display_name)
    for path, name in [
        ("/school/teachers", "roster-teachers"),
        ("/school/guardians", "roster-guardians"),
        ("/school/pupils", "roster-pupils-admin"),
        ("/school/onboarding", "onboarding-done"),
    ]:
        watched.goto(path)
        check_page(watched, name)
    watched.goto("/school/teachers")
    bakker = row(watched, "teacher-list", "Meester Bakker")
    expect(bakker).to_contain_text("Groep 7")
    bakker.get_by_role("button", name=text("manage.edit")).click()
    expect(page.get_by_label(text("manage.teacher.room"))).to_have_value("Lokaal 7")
    watched.goto("/school/pupils")
    page.get_by_label(text("manage.search")).fill("vries")
    page.get_by_role("button", name=text("manage.search_button")).click()
    expect(page.locator("#pupil-list li")).to_have_count(2)  # Noah and Emma de Vries
    watched.watch.assert_clean()
