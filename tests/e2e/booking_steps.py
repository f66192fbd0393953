"""Steps shared by the booking browser tests that use a built world (tests/support/rounds.py)."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Locator, expect

from ogp_app.models import School
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import create_session
from ogp_app.services.rounds import Actor
from tests.e2e.conftest import DESKTOP, OpenPage, WatchedPage
from tests.e2e.journeys import SESSION_COOKIE, main_heading, text
from tests.support.factories import Factory

PHONE_390 = {"width": 390, "height": 844}


def signed_in(
    open_page: OpenPage,
    factory: Factory,
    user_id: int,
    school_id: int,
    *,
    viewport: dict[str, int] | None = None,
    path: str | None = None,
) -> WatchedPage:
    """A browser of its own with a session made on the server for ``user_id`` at the school (no log-in
    form), on ``path`` when given."""
    watched = open_page(viewport or DESKTOP)
    token = create_session(factory.session, user_id=user_id, school_id=school_id)
    watched.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": watched.base_url}])
    if path is not None:
        watched.goto(path)
    return watched


def signed_in_book(
    open_page: OpenPage,
    factory: Factory,
    actor: Actor,
    school: School,
    *,
    viewport: dict[str, int] | None = None,
    language: str = "nl",
    clock_skew: timedelta | None = None,
) -> WatchedPage:
    """A browser of its own, signed in as ``actor`` (a session made on the server), on /book; with
    ``clock_skew`` its clock runs that far from the server's (a phone set wrong)."""
    watched = signed_in(open_page, factory, actor.user_id, school.id or 0, viewport=viewport)
    if clock_skew is not None:
        watched.context.clock.install(time=(utcnow() + clock_skew).timestamp())
    watched.goto("/book")
    expect(main_heading(watched)).to_have_text(text("book.title", language))
    return watched


def card(watched: WatchedPage, child: str) -> Locator:
    return watched.page.locator("#meetings > div").filter(has_text=child)
