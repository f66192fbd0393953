"""/school/billing in the browser (local mode, as `make run`): a school in its trial subscribes, its invoice
is listed and downloads as a PDF; only the school's admin gets in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
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


def test_trial_school_subscribes_and_downloads_its_invoice(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    totp = enrol_demo_account("admin")
    watched = open_page(DESKTOP)
    page = watched.page
    demo_log_in(watched, "admin", totp=totp)
    nav = page.get_by_role("navigation")
    with watched.expect_page_load():
        nav.get_by_role("link", name=text("nav.billing"), exact=True).click()
    page.mouse.move(0, 0)  # the pointer off the link it clicked (a hovered link is drawn differently)
    expect(main_heading(watched)).to_have_text(text("billing.title"))
    expect(page.locator("#billing-status")).to_have_text(text("billing.status.trialing"))
    expect(page.locator("#trial-left")).to_have_text("30")
    expect(page.locator("#quote-excl")).to_contain_text("€")
    expect(page.locator("#quote-incl")).to_contain_text("€")
    expect(page.locator("#billing-invoices")).to_contain_text(text("billing.invoices.none"))
    assert_accessible(page, "/school/billing (trial)")
    save_screenshot(page, "billing-trial-desktop")

    page.get_by_role("button", name=text("billing.subscribe.local")).click()  # asks first, with the price
    dialog = page.get_by_role("alertdialog")
    expect(dialog.locator("#confirm-price")).to_contain_text(page.locator("#quote-incl").inner_text())
    save_screenshot(page, "billing-subscribe-dialog-desktop")
    answer_dialog(watched, "confirm.cancel")
    expect(page.locator("#billing-status")).to_have_text(text("billing.status.trialing"))
    page.get_by_role("button", name=text("billing.subscribe.local")).click()
    answer_dialog(watched, "confirm.subscribe.action")
    expect(page.get_by_role("status")).to_contain_text(text("billing.subscribe.done"))
    expect(page.locator("#billing-status")).to_have_text(text("billing.status.active"))
    number = f"{datetime.now().year}-00001"
    row = page.locator(".invoice-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(number)
    expect(row).to_contain_text(text("billing.invoice_status.open"))
    expect(page.locator("#next-invoice")).not_to_be_empty()
    assert_accessible(page, "/school/billing (active)")
    save_screenshot(page, "billing-active-desktop")
    # cancel at the end of the period: the plan stays active until then
    page.get_by_role("button", name=text("billing.manage.cancel")).click()
    answer_dialog(watched, "confirm.cancel_plan.action", expect_text=text("confirm.cancel_plan.after"))
    expect(page.get_by_role("status")).to_contain_text(text("billing.manage.cancelled"))
    expect(page.locator("#billing-plan")).to_contain_text(text("billing.plan.cancel_pending"))

    # the invoice downloads (last: the download's form request may make the page load its state again,
    # which clears the message above; see the closing note)
    with page.expect_download() as download_info:
        row.get_by_role("button", name=text("billing.invoices.download")).click()
    download = download_info.value
    assert download.suggested_filename == f"factuur-{number}.pdf"
    path = download.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"

    phone = open_page(PHONE)
    cookies: Any = watched.context.cookies()
    phone.context.add_cookies(cookies)  # the same signed-in admin on a phone
    phone.goto("/school/billing")
    expect(phone.page.locator(".invoice-card")).to_have_count(1)
    expect(phone.page.locator(".invoice-card")).to_contain_text(text("billing.invoice_status.open"))
    assert_no_horizontal_overflow(phone.page)
    save_screenshot(phone.page, "billing-active-phone")
    watched.watch.assert_clean()
    phone.watch.assert_clean()


def test_a_parent_sees_no_billing(open_page: OpenPage, clean_db: None) -> None:
    seed_demo_school()
    watched = open_page(DESKTOP)
    demo_log_in(watched, "parent")
    watched.goto("/school/billing")
    expect(watched.page.locator("#no-access")).to_be_visible()
    expect(watched.page.locator("#billing-plan")).to_have_count(0)
    response = watched.page.request.get(watched.url("/api/billing/invoices/1/pdf"))
    assert response.status == 403
