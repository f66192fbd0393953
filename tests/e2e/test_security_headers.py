"""The headers the browser actually receives on the main document, and that it enforces them."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WatchedPage
from tests.e2e.journeys import text

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", "/login", "/app"])
def test_main_document_carries_security_headers(app_page: WatchedPage, path: str) -> None:
    response = app_page.goto(path)
    headers = response.all_headers()
    csp = headers.get("content-security-policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", csp
    assert "'unsafe-inline'" not in directives.get("script-src", ""), csp
    assert "'unsafe-eval'" not in directives.get("script-src", ""), csp
    assert directives.get("default-src") == "default-src 'self'", csp
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") in {"no-referrer", "same-origin", "strict-origin"}
    app_page.watch.assert_clean()


def test_the_page_cannot_be_framed(app_page: WatchedPage) -> None:
    app_page.goto("/")
    # Embed the app in an about:blank page of the same browser: frame-ancestors must keep it empty.
    with app_page.page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        app_page.page.set_content(f'<iframe id="f" src="{app_page.url("/")}"></iframe>')
    app_page.page.wait_for_timeout(500)
    framed = app_page.page.frame_locator("#f")
    assert framed.get_by_text(text("landing.title")).count() == 0
    app_page.watch.reset()  # the refusal is logged as a console error, provoked on purpose
