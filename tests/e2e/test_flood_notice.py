"""A page that sends too much in the browser: the banner says why and what to do, and the page stops."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from ogp_app.i18n import translate
from tests.conftest import TEST_SECRET_KEY
from tests.e2e.conftest import DESKTOP, save_screenshot
from tests.support.server import LIMITED_ADDRESS_BURST, RunningApp, start_limited_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def limited_app(migrated_database: str) -> Iterator[RunningApp]:
    app = start_limited_app(database_url=migrated_database, secret_key=TEST_SECRET_KEY)
    yield app
    app.stop()


SMALL_PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (SMALL_PHONE, "phone")])
def test_a_page_that_floods_shows_the_notice(
    chromium: Browser, limited_app: RunningApp, viewport: dict[str, int], name: str
) -> None:
    context = chromium.new_context(viewport=viewport, locale="nl-NL")  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(limited_app.base_url + "/contact", wait_until="networkidle")
        expect(page.locator("#lang-nl")).to_have_attribute("aria-pressed", "true")
        banner = page.locator("#limit-notice")
        for i in range(400):  # a stuck key or a script: far more than any person taps
            page.locator("#lang-en" if i % 2 else "#lang-nl").dispatch_event("click")
            if banner.count():
                break
        expect(banner).to_be_visible()
        shown, role = banner.inner_text().strip(), banner.get_attribute("role")
        assert role == "alert"
        # The stuck key goes on: each tap makes the page try to reconnect, which the server refuses for a
        # minute (a reconnect would load the server's state, which never held the banner, and hide it).
        for i in range(20):
            page.locator("#lang-en" if i % 2 else "#lang-nl").dispatch_event("click")
        for _ in range(30):  # three seconds: reconnect attempts come within one of a tap
            expect(banner).to_have_text(shown)
            page.wait_for_timeout(100)
        save_screenshot(page, f"flood-notice-{name}")
        # The taps switched the language to and fro: the banner is in whichever the page shows now, and
        # names the limit that ran out first (the tab's, or this server's small one of the address).
        limits = [("flood.notice.rate", 60, "10"), ("flood.notice.address", LIMITED_ADDRESS_BURST, "2")]
        texts = {translate(key, lang, burst=b, per_second=r) for key, b, r in limits for lang in ("nl", "en")}
        assert shown in texts
    finally:
        context.close()
