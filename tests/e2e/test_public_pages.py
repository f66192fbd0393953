"""Every public page, on a desktop and on a phone: nothing from other hosts, no console errors,
no sideways scrolling, no serious accessibility violations; full-page screenshots for review."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    VIEWPORTS,
    OpenPage,
    assert_accessible,
    assert_no_horizontal_overflow,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = {
    "landing": "/",
    "login": "/login",
    "privacy": "/privacy",
    "contact": "/contact",
    "app": "/app",  # signed out
}


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
@pytest.mark.parametrize("page_name", list(PUBLIC_PAGES))
def test_public_page(open_page: OpenPage, page_name: str, viewport_name: str) -> None:
    watched = open_page(VIEWPORTS[viewport_name])
    watched.goto(PUBLIC_PAGES[page_name])
    page = watched.page
    save_screenshot(page, f"{page_name}-{viewport_name}")

    assert page.get_by_role("heading", level=1).count() == 1, "every page has exactly one main heading"
    assert_no_horizontal_overflow(page)
    assert_accessible(page, f"{page_name} ({viewport_name})")
    watched.watch.assert_clean()
