"""/book at the moment booking opens: the countdown's event opens the meetings by the server's clock, never
earlier, without reading the page again; an opening moved since the page loaded is read again or refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select, update

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import Booking, ConferenceRound
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import create_session
from tests.security.conftest import OpenClient
from tests.security.handlers import handler_by_key
from tests.security.reflex_client import ReflexClient
from tests.support.factories import Factory
from tests.support.rounds import World, build_world

LOAD = handler_by_key("ogp_app.pages.family.book.state.BookState.load_page").wire_name
OPENED = handler_by_key("ogp_app.pages.family.book.state.BookState.window_opened").wire_name
PICK = handler_by_key("ogp_app.pages.family.book.state.BookState.pick").wire_name
CHOOSE = handler_by_key("ogp_app.pages.family.book.state.BookState.choose").wire_name
BOOK_STATE = LOAD.rpartition(".")[0]


def _book(client: ReflexClient, handler: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    state = client.call(handler, payload or {}, pathname="/book").barrier_state or {}
    return {k.removesuffix("_rx_state_"): v for k, v in (state.get(BOOK_STATE) or {}).items()}


def _opening_at(w: World, opens: datetime) -> None:
    with unscoped() as db:
        moved = update(ConferenceRound).where(col(ConferenceRound.id) == w.round_id)
        db.exec(moved.values(booking_opens_at=opens))
        db.commit()


def _parent_on_book(w: World, factory: Factory, open_client: OpenClient) -> ReflexClient:
    token = create_session(factory.session, user_id=w.parent.user_id, school_id=w.school_id)
    return open_client(cookie=f"{get_settings().session_cookie_name}={token}")


def test_a_browser_ahead_of_the_server_opens_the_meetings_only_at_the_servers_opening(
    factory: Factory, open_client: OpenClient
) -> None:
    w = build_world(factory, open_now=False)
    opens = utcnow() + timedelta(seconds=3)
    _opening_at(w, opens)
    client = _parent_on_book(w, factory, open_client)
    before = _book(client, LOAD)
    assert before["opens_iso"] and not any(m["open"] for m in before["meetings"])

    after = _book(client, OPENED)  # the browser's countdown hit zero seconds early

    assert utcnow() >= opens
    assert [m["key"] for m in after["meetings"]] == [m["key"] for m in before["meetings"]]  # not re-read
    assert all(m["open"] for m in after["meetings"]) and after["opens_iso"] == ""
    pick = _book(client, PICK, {"key": after["meetings"][0]["key"]})
    assert _book(client, CHOOSE, {"slot_key": pick["slots"][0]["key"]})["notice"]["kind"] == "ok"
    assert len(_bookings(w)) == 1


def test_an_opening_moved_far_ahead_is_read_again(factory: Factory, open_client: OpenClient) -> None:
    w = build_world(factory, open_now=False)
    _opening_at(w, utcnow() + timedelta(hours=1))
    client = _parent_on_book(w, factory, open_client)
    before = _book(client, LOAD)
    moved = utcnow() + timedelta(hours=2)
    _opening_at(w, moved)

    after = _book(client, OPENED)  # a browser an hour ahead, or a page from before the move

    assert abs(datetime.fromisoformat(after["opens_iso"]) - moved) < timedelta(seconds=1)  # the new time
    assert not any(m["open"] for m in after["meetings"])
    assert {m["key"] for m in after["meetings"]}.isdisjoint(m["key"] for m in before["meetings"])  # re-read


def test_an_opening_moved_later_after_the_countdown_started_still_books_nothing_early(
    factory: Factory, open_client: OpenClient
) -> None:
    w = build_world(factory, open_now=False)
    _opening_at(w, utcnow() + timedelta(seconds=1))
    client = _parent_on_book(w, factory, open_client)
    loaded = _book(client, LOAD)
    _opening_at(w, utcnow() + timedelta(hours=1))  # the school moves the opening; this page still counts down

    opened = _book(client, OPENED)  # the page opens its meetings from the times it was read with
    assert all(m["open"] for m in opened["meetings"])
    shown = _book(client, PICK, {"key": loaded["meetings"][0]["key"]})
    # the grid asks the database's window, as booking does: no time to pick before the real opening
    assert shown["slots"] == []
    refused = _book(client, CHOOSE, {"slot_key": f"{loaded['meetings'][0]['key']}0"})  # a guessed key
    assert refused["notice"]["kind"] != "ok"
    assert _bookings(w) == []


def _bookings(w: World) -> list[Booking]:
    with school_session(w.school_id) as db:
        return list(db.exec(select(Booking).where(Booking.round_id == w.round_id)).all())
