"""/account and /school/settings in the browser: own account, colleagues, school SSO, and who gets in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.models import Membership, OutboxMessage, Role, School, SchoolIdentityProvider, SchoolStatus
from ogp_app.services.auth.crypto import PURPOSE_OIDC_CLIENT_SECRET, decrypt_secret
from ogp_app.services.development.demo import DEMO_ACCOUNTS
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
    demo_log_in,
    demo_user,
    enrol_demo_account,
    main_heading,
    seed_demo_school,
    text,
)
from tests.support.two_factor import next_code

pytestmark = pytest.mark.e2e

TEACHER_EMAIL = "meester.bakker@regenboog.example"
SECRET = "oidc-client-secret-7Qx9-never-shown"


def record_frames(page: Page) -> list[str]:
    """Every websocket frame the server sends this page (state deltas), from now on."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(str(p))))
    return frames


def _second_school_for(role: str) -> int:
    """Make the demo person a parent at a second school; returns that school's id."""
    user = demo_user(role)
    with unscoped() as db:
        school = School(name="De Klimop", slug="klimop", status=SchoolStatus.ACTIVE.value)
        db.add(school)
        db.flush()
        assert school.id is not None and user.id is not None
        db.add(Membership(school_id=school.id, user_id=user.id, role=Role.PARENT.value))
        db.commit()
        return school.id


def test_parent_changes_name_language_email_and_password(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    other_school_id = _second_school_for("parent")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "parent")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name=text("nav.account"), exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name=text("nav.school_settings"))).to_have_count(0)
    with watched.expect_page_load():
        nav.get_by_role("link", name=text("nav.account"), exact=True).click()
    expect(main_heading(watched)).to_have_text(text("account.title"))
    expect(page.get_by_text(DEMO_ACCOUNTS["parent"], exact=True)).to_be_visible()
    expect(page.locator("#two-factor-status")).to_contain_text(text("account.two_factor.off"))
    expect(page.get_by_role("link", name=text("account.two_factor.setup"))).to_have_attribute(
        "href", "/account/two-factor"
    )
    expect(page.locator("#account-schools")).to_contain_text("Basisschool De Regenboog")
    # One switch per other school: a plain form POST to the switch route with the school's id
    switch = page.locator('form[action="/api/auth/switch-school"][method="post"]')
    expect(switch).to_have_count(1)
    expect(switch.locator('input[name="school_id"]')).to_have_value(str(other_school_id))
    expect(switch.get_by_role("button", name=text("account.schools.switch"))).to_be_visible()

    # Name
    name_field = page.get_by_label(text("account.name.label"), exact=True)
    expect(name_field).to_have_value("Sanne de Vries")
    name_field.fill("Sanne van Dijk")
    page.get_by_role("button", name=text("account.name.save")).click()
    expect(page.get_by_text(text("account.name.saved"))).to_be_visible()

    # E-mail: nothing changes until the link in the mail to the new address is used
    page.get_by_label(text("account.email.new")).fill("sanne.nieuw@example.org")
    page.get_by_role("button", name=text("account.email.submit")).click()
    expect(page.get_by_text(text("account.email.sent"))).to_be_visible()
    expect(page.locator("#pending-email")).to_contain_text("sanne.nieuw@example.org")
    with unscoped() as db:
        change_mails = db.exec(
            select(OutboxMessage).where(OutboxMessage.to_email == "sanne.nieuw@example.org")
        ).all()
    assert [m.template for m in change_mails] == ["email_change"]

    # Password: no password yet, so none is asked; the policy speaks clearly
    expect(page.get_by_label(text("account.password.current"))).to_have_count(0)
    page.get_by_label(text("account.password.new"), exact=True).fill("kort")
    page.get_by_label(text("account.password.repeat")).fill("kort")
    page.get_by_role("button", name=text("account.password.set")).click()
    expect(page.get_by_role("alert")).to_have_text(text("accounts.password.too_short"))
    page.get_by_label(text("account.password.new"), exact=True).fill("zeven zwanen zwemmen zacht")
    page.get_by_label(text("account.password.repeat")).fill("zeven zwanen zwemmen zacht")
    page.get_by_role("button", name=text("account.password.set")).click()
    expect(page.get_by_text(text("account.password.saved"))).to_be_visible()
    # ... and from now on the current one is required
    page.get_by_label(text("account.password.current")).fill("niet mijn wachtwoord")
    page.get_by_label(text("account.password.new"), exact=True).fill("acht apen aten appels")
    page.get_by_label(text("account.password.repeat")).fill("acht apen aten appels")
    page.get_by_role("button", name=text("account.password.change")).click()
    expect(page.get_by_role("alert")).to_have_text(text("accounts.error.current_password_wrong"))

    # Language, stored on the account
    page.get_by_role("radio", name="English").click()
    expect(main_heading(watched)).to_have_text(text("account.title", "en"))
    expect(page.get_by_text(text("account.language.saved", "en"))).to_be_visible()
    assert_accessible(page, "/account (parent)")
    save_screenshot(page, "account-desktop")

    watched.context.clear_cookies(name="ogp_lang")  # only the account can remember English now
    watched.reload()
    expect(main_heading(watched)).to_have_text(text("account.title", "en"))
    expect(page.get_by_label(text("account.name.label", "en"), exact=True)).to_have_value("Sanne van Dijk")
    expect(page.get_by_role("radio", name="English")).to_be_checked()
    parent = demo_user("parent")
    assert (parent.display_name, parent.preferred_language, parent.email) == (
        "Sanne van Dijk",
        "en",
        DEMO_ACCOUNTS["parent"],
    )
    assert parent.password_hash is not None and "zwanen" not in parent.password_hash
    assert "zwanen" not in page.content()
    watched.watch.assert_clean()


def test_admin_invites_a_teacher(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    with watched.expect_page_load():
        page.get_by_role("navigation").get_by_role("link", name=text("nav.school_settings")).click()
    expect(main_heading(watched)).to_have_text(text("school.settings.title"))
    expect(page.locator("#school-details")).to_contain_text("99XX")

    page.get_by_label(text("school.invite.name")).fill("Meester Bakker")
    page.get_by_label(text("school.invite.email")).fill(TEACHER_EMAIL)
    page.get_by_label(text("school.invite.role")).select_option("teacher")
    page.get_by_role("button", name=text("school.invite.submit")).click()
    expect(page.get_by_text(text("school.invite.sent"))).to_be_visible()
    row = page.locator("li.colleague", has_text="Meester Bakker")
    expect(row).to_contain_text(TEACHER_EMAIL)
    expect(row).to_contain_text(text("app.role.teacher"))
    expect(row).to_contain_text(text("accounts.invitation.pending"))
    expect(page.get_by_label(text("school.invite.email"))).to_have_value("")

    def invitations() -> list[str]:
        with unscoped() as db:
            return list(
                db.exec(select(OutboxMessage.template).where(OutboxMessage.to_email == TEACHER_EMAIL)).all()
            )

    assert invitations() == ["invitation"]
    row.get_by_role("button", name=text("school.colleagues.resend")).click()
    expect(page.get_by_text(text("school.colleagues.resent"))).to_be_visible()
    assert invitations() == ["invitation", "invitation"]

    # Bad input is explained, nothing is sent
    page.get_by_label(text("school.invite.name")).fill("Iemand")
    page.get_by_label(text("school.invite.email")).fill("geen-adres@")
    page.get_by_label(text("school.invite.email")).evaluate(
        "el => el.type = 'text'"
    )  # past the browser's check
    page.get_by_role("button", name=text("school.invite.submit")).click()
    expect(page.locator("#school-invite").get_by_role("alert")).to_have_text(
        text("accounts.error.email_invalid")
    )

    assert_accessible(page, "/school/settings (admin)")
    save_screenshot(page, "school-settings-desktop")
    watched.watch.assert_clean()


def test_teacher_gets_no_access_and_no_school_data(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "teacher")
    expect(
        page.get_by_role("navigation").get_by_role("link", name=text("nav.school_settings"))
    ).to_have_count(0)
    frames = record_frames(page)
    watched.goto("/school/settings")
    expect(page.locator("#no-access")).to_contain_text(text("school.no_access.title"))
    expect(page.get_by_label(text("school.invite.email"))).to_have_count(0)
    html = page.content()
    sent = "\n".join(frames)
    assert frames, "no websocket frames were recorded"
    for school_data in (DEMO_ACCOUNTS["admin"], "99XX", "oidc/start", "Anna Beheer"):
        assert school_data not in html, school_data
        assert school_data not in sent, school_data
    assert_accessible(page, "/school/settings (no access)")
    watched.watch.assert_clean()


def test_signed_out_visitors_see_neither_page(app_page: WatchedPage, clean_db: None) -> None:
    seed_demo_school()
    app_page.goto("/school/settings")
    expect(app_page.page.locator("#no-access")).to_be_visible()
    app_page.goto("/account")
    expect(app_page.page.get_by_text(text("app.not_signed_in"))).to_be_visible()
    app_page.watch.assert_clean()


def test_admin_saves_oidc_settings_and_the_secret_never_comes_back(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    frames = record_frames(page)
    watched.goto("/school/settings")
    sso = page.locator("#school-sso")
    expect(sso.locator("#sso-login-url")).to_have_text(
        re.compile(re.escape("/api/auth/oidc/start?school=demo") + "$")
    )

    # The service's validation is shown
    sso.get_by_label(text("school.sso.issuer")).fill("https://login.example.org/tenant/v2.0?x=1")
    sso.get_by_label(text("school.sso.client_id")).fill("ogp-demo")
    sso.get_by_label(text("school.sso.client_secret")).fill(SECRET)
    sso.get_by_role("button", name=text("school.sso.save")).click()
    expect(sso.get_by_role("alert")).to_have_text(text("sso.error.invalid_issuer"))

    sso.get_by_label(text("school.sso.issuer")).fill("https://login.example.org/tenant/v2.0")
    sso.get_by_label(text("school.sso.client_secret")).fill(SECRET)
    sso.get_by_label(text("school.sso.domain")).fill("regenboog.example")
    sso.get_by_role("switch").click()
    sso.get_by_role("button", name=text("school.sso.save")).click()
    expect(sso.get_by_text(text("school.sso.saved"))).to_be_visible()
    expect(sso.get_by_label(text("school.sso.client_secret"))).to_have_value("")
    expect(sso.get_by_label(text("school.sso.issuer"))).to_have_value("https://login.example.org/tenant/v2.0")
    assert SECRET not in page.content()

    with unscoped() as db:
        stored = db.exec(select(SchoolIdentityProvider)).one()
    assert stored.enabled and stored.allowed_email_domain == "regenboog.example"
    assert SECRET not in stored.client_secret_encrypted
    assert decrypt_secret(stored.client_secret_encrypted, purpose=PURPOSE_OIDC_CLIENT_SECRET) == SECRET

    # After a reload the form holds the settings, never the secret; an empty secret keeps it
    watched.reload()
    expect(sso.get_by_label(text("school.sso.domain"))).to_have_value("regenboog.example")
    expect(sso.get_by_label(text("school.sso.client_secret"))).to_have_value("")
    expect(sso.get_by_role("switch")).to_be_checked()
    sso.get_by_label(text("school.sso.tenant")).fill("tenant-1")
    sso.get_by_role("button", name=text("school.sso.save")).click()
    expect(sso.get_by_text(text("school.sso.saved"))).to_be_visible()
    with unscoped() as db:
        stored = db.exec(select(SchoolIdentityProvider)).one()
    assert stored.tenant_id == "tenant-1"
    assert decrypt_secret(stored.client_secret_encrypted, purpose=PURPOSE_OIDC_CLIENT_SECRET) == SECRET

    assert SECRET not in page.content()
    assert frames and not any(SECRET in frame for frame in frames), "the secret reached the browser's state"
    assert not any(stored.client_secret_encrypted in frame for frame in frames)
    watched.watch.assert_clean()


def test_admin_pages_fit_a_phone_and_recovery_codes_are_shown_once(
    open_page: OpenPage, clean_db: None
) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(PHONE)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)

    # The header folds into a menu
    expect(page.get_by_role("link", name=text("nav.account"))).to_have_count(0)
    page.get_by_role("button", name=text("nav.menu")).click()
    menu_link = page.get_by_role("link", name=text("nav.account"))
    expect(menu_link).to_be_visible()
    expect(page.get_by_role("link", name=text("nav.school_settings"))).to_be_visible()
    page.wait_for_timeout(400)  # let the menu's fade-in finish
    assert_accessible(page, "header menu (phone)")
    save_screenshot(page, "header-menu-phone")
    with watched.expect_page_load():
        menu_link.click()
    expect(main_heading(watched)).to_have_text(text("account.title"))

    two_fa = page.locator("#account-two-factor")
    expect(two_fa.locator("#two-factor-status")).to_contain_text(text("account.two_factor.on"))
    expect(two_fa.get_by_text(text("account.two_factor.mandatory"))).to_be_visible()
    expect(two_fa.get_by_role("button", name=text("account.two_factor.disable"))).to_have_count(0)
    two_fa.get_by_label(text("account.two_factor.code")).fill("000000")
    two_fa.get_by_role("button", name=text("account.two_factor.regenerate")).click()
    expect(two_fa.get_by_role("alert")).to_have_text(text("two_factor.error.invalid_code"))
    two_fa.get_by_label(text("account.two_factor.code")).fill(next_code(totp))
    two_fa.get_by_role("button", name=text("account.two_factor.regenerate")).click()
    codes = two_fa.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    shown = codes.all_inner_texts()
    assert all(re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", c.strip()) for c in shown), shown
    assert_no_horizontal_overflow(page)
    assert_accessible(page, "/account (admin, phone)")
    save_screenshot(page, "account-phone")
    watched.reload()
    expect(two_fa.locator("#recovery-codes")).to_have_count(0)  # shown once

    watched.goto("/school/settings")
    expect(main_heading(watched)).to_have_text(text("school.settings.title"))
    expect(page.locator("#school-details")).to_contain_text("Basisschool De Regenboog")
    assert_no_horizontal_overflow(page)
    assert_accessible(page, "/school/settings (admin, phone)")
    save_screenshot(page, "school-settings-phone")
    watched.watch.assert_clean()
