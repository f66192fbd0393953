"""The watch itself: it must notice requests to other hosts and CSP violations, or every other
browser test proves nothing about third parties."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from tests.e2e.conftest import DESKTOP, OpenPage, PageWatch, WatchedPage

pytestmark = pytest.mark.e2e

THIRD_PARTY = "https://cdn.third-party.example/lib"


def test_own_origin_is_exactly_host_and_port() -> None:
    watch = PageWatch(app_host="localhost", app_port=3123)
    assert watch.is_own("http://localhost:3123/assets/x.js")
    assert watch.is_own("ws://localhost:3123/_event/?token=x")
    assert watch.is_own("data:image/png;base64,AAAA")
    assert not watch.is_own("http://localhost:3124/")
    assert not watch.is_own("http://127.0.0.1:3123/")
    assert not watch.is_own("https://fonts.googleapis.com/css?family=Inter")
    assert not watch.is_own("http://localhost.evil.example:3123/")


def _inject_script(watched: WatchedPage, url: str) -> None:
    watched.page.evaluate(
        "url => { const s = document.createElement('script'); s.src = url; document.head.append(s); }", url
    )


def test_watch_catches_a_csp_violation(app_page: WatchedPage) -> None:
    app_page.goto("/")
    app_page.watch.assert_clean()
    with app_page.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        _inject_script(app_page, THIRD_PARTY + "/tracker.js")
    problems = app_page.watch.problems()
    app_page.watch.reset()  # provoked on purpose; keep the teardown check quiet
    # Chromium words it "Refused to load ..." or "Loading the script ... violates ...", by version.
    assert any(p.startswith("console error:") and "Content Security Policy" in p for p in problems), problems


def test_watch_catches_a_request_to_another_host(open_page: OpenPage) -> None:
    # The CSP blocks such a request before it leaves; bypass it to prove the request recorder on its own.
    watched = open_page(DESKTOP, bypass_csp=True)
    watched.page.route(THIRD_PARTY + "/**", _fulfil)
    watched.goto("/")
    watched.watch.assert_clean()
    with watched.page.expect_request(THIRD_PARTY + "/tracker.js"):
        _inject_script(watched, THIRD_PARTY + "/tracker.js")
    assert watched.watch.foreign_requests() == [THIRD_PARTY + "/tracker.js"]
    with pytest.raises(AssertionError, match="request to another host"):
        watched.watch.assert_clean()
    watched.watch.reset()


def _fulfil(route: Route) -> None:
    route.fulfill(status=200, content_type="text/javascript", body="void 0;")
