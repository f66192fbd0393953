"""Back-office journeys in Chromium against the production build, mail read from a real SMTP server.

(a) a visitor sends the contact form, gets a copy, staff (password + TOTP) answer it from the inbox;
(b) a parent leaves a review after a round, staff publish it, the public page shows first name + town;
(c) a staff member without an authenticator is sent to the set-up, an outsider sees "no access";
every page: no third parties, no console errors, no sideways scrolling, axe; screenshots both sizes.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import ConferenceRound, School
from ogp_app.models.base import utcnow
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.development.demo import DEMO_SCHOOL_SLUG
from ogp_app.services.staff import faq
from tests.e2e.conftest import (
    PHONE,
    VIEWPORTS,
    OpenPage,
    WatchedPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)
from tests.e2e.journeys import demo_log_in, main_heading, seed_demo_school, text
from tests.support.accounts import STRONG
from tests.support.factories import Factory
from tests.support.smtp import SmtpServer
from tests.support.two_factor import enrol_two_factor, next_code

pytestmark = pytest.mark.e2e


def at(watched: WatchedPage, path: str) -> None:
    expect(watched.page).to_have_url(re.compile(re.escape(watched.url(path)) + r"/?(\?.*)?$"))


def check_page(watched: WatchedPage, name: str) -> None:
    assert watched.page.get_by_role("heading", level=1).count() == 1
    assert_no_horizontal_overflow(watched.page)
    assert_accessible(watched.page, name)
    save_screenshot(watched.page, name)


def wait_for_mail(smtp: SmtpServer, to: str, contains: str, timeout: float = 30) -> str:
    """The plain-text body of the newest mail to ``to`` that contains ``contains`` (sent every 5 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(smtp.messages):
            if to in str(message["To"]):
                body = message.get_body(("plain",)).get_content()
                if contains in body:
                    return str(body)
        time.sleep(0.2)
    raise AssertionError(f"no mail to {to} containing {contains!r} within {timeout} s")


def make_staff(factory: Factory, email: str, name: str) -> pyotp.TOTP:
    user = factory.user(
        email, name, is_staff=True, password_hash=hash_password(STRONG), email_verified_at=utcnow()
    )
    assert user.id is not None
    return enrol_two_factor(user.id, label=email).totp


def staff_log_in(watched: WatchedPage, email: str, totp: pyotp.TOTP) -> None:
    watched.goto("/login")
    form = watched.page.locator("form[action='/api/auth/login']")
    form.get_by_label(text("auth.email"), exact=True).fill(email)
    form.get_by_label(text("auth.password"), exact=True).fill(STRONG)
    with watched.expect_page_load():
        form.get_by_role("button", name=text("login.submit"), exact=True).click()
    at(watched, "/login/two-factor")
    watched.page.get_by_label(text("two_factor_prompt.code"), exact=True).fill(next_code(totp))
    with watched.expect_page_load():
        watched.page.get_by_role("button", name=text("two_factor_prompt.submit")).click()
    at(watched, "/app")


def test_visitor_sends_the_contact_form_and_staff_answer_it(
    open_page: OpenPage, app_smtp: SmtpServer, factory: Factory
) -> None:
    totp = make_staff(factory, "sam.staff@ogp.example", "Sam Staff")
    factory.session.commit()
    visitor = open_page(PHONE)
    visitor.goto("/contact")
    page = visitor.page
    page.get_by_label(text("contact.form.name"), exact=True).fill("Petra Jansen")
    page.get_by_label(text("contact.form.email"), exact=True).fill("petra.jansen@example.org")
    page.get_by_label(text("contact.form.topic"), exact=True).select_option("complaint")
    page.get_by_label(text("contact.form.message"), exact=True).fill("De uitnodiging kwam niet aan.")
    page.get_by_role("button", name=text("contact.form.submit")).click()
    expect(page.get_by_role("status")).to_have_text(text("contact.form.sent"), timeout=15_000)
    expect(page.get_by_label(text("contact.form.message"), exact=True)).to_have_value(
        ""
    )  # the form is cleared
    check_page(visitor, "contact-sent-phone")
    copy = wait_for_mail(app_smtp, "petra.jansen@example.org", "De uitnodiging kwam niet aan.")
    assert "Klacht" in copy
    notice = wait_for_mail(app_smtp, "sam.staff@ogp.example", "/staff/inbox")
    assert "De uitnodiging" not in notice

    staff = open_page()
    staff_log_in(staff, "sam.staff@ogp.example", totp)
    staff.goto("/staff/inbox")
    message = staff.page.locator(".inbox-message").filter(has_text="Petra Jansen")
    expect(message).to_contain_text("De uitnodiging kwam niet aan.")
    expect(message).to_contain_text(text("staff.inbox.status.new"))
    check_page(staff, "staff-inbox-desktop")
    reply_box = message.get_by_label(text("staff.inbox.reply"), exact=True)
    reply_box.fill("Wij hebben de uitnodiging opnieuw verstuurd.")
    message.get_by_role("button", name=text("staff.inbox.mark_in_progress")).click()
    expect(message).to_contain_text(text("staff.inbox.status.in_progress"))
    expect(reply_box).to_have_value("Wij hebben de uitnodiging opnieuw verstuurd.")  # kept on a status change
    message.get_by_role("button", name=text("staff.inbox.send_reply")).click()
    expect(staff.page.get_by_role("status")).to_have_text(text("staff.inbox.replied"), timeout=15_000)
    expect(message).to_contain_text(text("staff.inbox.status.answered"))
    expect(message).to_contain_text("Wij hebben de uitnodiging opnieuw verstuurd.")
    reply = wait_for_mail(app_smtp, "petra.jansen@example.org", "opnieuw verstuurd")
    assert "De uitnodiging kwam niet aan." in reply  # the original is quoted
    visitor.watch.assert_clean()
    staff.watch.assert_clean()


def _demo_round() -> None:
    with unscoped() as db:
        school = db.exec(select(School).where(School.slug == DEMO_SCHOOL_SLUG)).one()
        assert school.id is not None
        db.add(ConferenceRound(school_id=school.id, name="Rapportgesprekken maart", status="closed"))
        db.commit()


def test_parent_reviews_staff_publish_and_the_public_sees_first_name_and_town(
    open_page: OpenPage, factory: Factory
) -> None:
    totp = make_staff(factory, "sam.staff@ogp.example", "Sam Staff")
    factory.session.commit()
    seed_demo_school()
    _demo_round()

    parent = open_page()
    demo_log_in(parent, "parent")
    parent.goto("/review")
    page = parent.page
    expect(page.locator("#round-name")).to_have_text("Rapportgesprekken maart")
    check_page(parent, "review-form-desktop")
    page.locator("#rating-4").check()
    page.get_by_label(text("review.comment"), exact=True).fill(
        "Binnen twee minuten geregeld, ook voor onze tweeling."
    )
    page.get_by_label(text("review.may_publish"), exact=True).check()
    page.get_by_role("button", name=text("review.submit")).click()
    expect(page.get_by_role("status")).to_have_text(text("review.thanks"))

    staff = open_page()
    staff_log_in(staff, "sam.staff@ogp.example", totp)
    staff.goto("/staff/reviews")
    item = staff.page.locator(".review-item").filter(has_text="Binnen twee minuten")
    expect(item).to_contain_text(text("staff.reviews.status.pending"))
    expect(item).to_contain_text(text("staff.reviews.consent_yes"))
    check_page(staff, "staff-reviews-desktop")
    item.get_by_role("button", name=text("staff.reviews.publish")).click()
    expect(item).to_contain_text(text("staff.reviews.status.published"))

    for name, viewport in VIEWPORTS.items():
        visitor = open_page(viewport)
        visitor.goto("/reviews")
        shown = visitor.page.locator(".public-review")
        expect(shown).to_have_count(1)
        expect(shown).to_contain_text("Binnen twee minuten geregeld")
        expect(shown.locator(".review-author")).to_have_text(f"Sanne {text('reviews.from')} Utrecht")
        html = visitor.page.content()
        for secret in ("de Vries", "ouder.de.vries@example.org", "Regenboog", "Rapportgesprekken"):
            assert secret not in html, secret
        check_page(visitor, f"reviews-{name}")
        visitor.watch.assert_clean()
    parent.watch.assert_clean()
    staff.watch.assert_clean()


def test_staff_pages_and_faq_at_both_sizes(open_page: OpenPage, factory: Factory) -> None:
    totp = make_staff(factory, "sam.staff@ogp.example", "Sam Staff")
    school = factory.school("Basisschool Het Anker", city="Zwolle")
    factory.pupil(school, factory.school_class(school))
    factory.session.commit()
    with unscoped() as db:
        faq.save_entry(
            db,
            entry_id=None,
            audience="parent",
            question_nl="Hoe plan ik een gesprek?",
            answer_nl="Via de link in de e-mail van school.",
            question_en="How do I book a conversation?",
            answer_en="Through the link in the school's e-mail.",
            position=1,
        )
    staff = open_page()
    staff_log_in(staff, "sam.staff@ogp.example", totp)  # once: a code cannot be used twice
    for name, viewport in VIEWPORTS.items():
        staff.page.set_viewport_size(viewport)  # type: ignore[arg-type]
        staff.goto("/staff")
        row = staff.page.locator(".school-row").filter(has_text="Basisschool Het Anker")
        expect(row).to_contain_text("Zwolle")
        check_page(staff, f"staff-schools-{name}")
        if name == "desktop":
            staff.page.get_by_label(text("staff.schools.name"), exact=True).select_option(
                label="Basisschool Het Anker"
            )
            staff.page.get_by_label(text("staff.schools.reason"), exact=True).fill(
                "Vraag van de school over het rooster"
            )
            staff.page.get_by_role("button", name=text("staff.schools.open")).click()
            expect(staff.page.locator("#access-log")).to_contain_text("Vraag van de school over het rooster")
            check_page(staff, "staff-school-opened-desktop")
        for page_name in ("stats", "faq", "inbox", "reviews"):
            staff.goto(f"/staff/{page_name}")
            expect(main_heading(staff)).to_have_text(text(f"staff.{page_name}.title"))
            check_page(staff, f"staff-{page_name}-{name}")
        visitor = open_page(viewport)
        visitor.goto("/faq")
        visitor.page.get_by_text("Hoe plan ik een gesprek?").click()
        expect(visitor.page.get_by_text("Via de link in de e-mail van school.")).to_be_visible()
        check_page(visitor, f"faq-{name}")
        visitor.goto("/contact")
        check_page(visitor, f"contact-{name}")
        visitor.watch.assert_clean()
    staff.watch.assert_clean()


def test_staff_without_an_authenticator_and_outsiders_get_no_back_office(
    open_page: OpenPage, factory: Factory
) -> None:
    factory.user(
        "new.staff@ogp.example",
        "New Staff",
        is_staff=True,
        password_hash=hash_password(STRONG),
        email_verified_at=utcnow(),
    )
    factory.session.commit()
    seed_demo_school()
    newcomer = open_page()
    newcomer.goto("/login")
    form = newcomer.page.locator("form[action='/api/auth/login']")
    form.get_by_label(text("auth.email"), exact=True).fill("new.staff@ogp.example")
    form.get_by_label(text("auth.password"), exact=True).fill(STRONG)
    with newcomer.expect_page_load():
        form.get_by_role("button", name=text("login.submit"), exact=True).click()
    at(newcomer, "/account/two-factor")
    newcomer.goto("/staff/inbox")
    at(newcomer, "/account/two-factor")  # fail closed: first the authenticator

    parent = open_page()
    demo_log_in(parent, "parent")
    parent.goto("/staff")
    expect(parent.page.locator("#no-access")).to_be_visible()
    expect(parent.page.locator("#school-list")).to_have_count(0)
    check_page(parent, "staff-no-access-desktop")
    newcomer.watch.assert_clean()
    parent.watch.assert_clean()
