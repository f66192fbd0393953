"""/book's time keys: a time tapped in an older grid books nothing, even where its key once named a slot."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.core.settings import get_settings
from ogp_app.models import Booking
from ogp_app.services.auth.sessions import create_session
from tests.security.conftest import OpenClient
from tests.security.handlers import handler_by_key
from tests.security.reflex_client import ReflexClient
from tests.support.factories import Factory
from tests.support.rounds import build_world

LOAD = handler_by_key("ogp_app.pages.family.book.state.BookState.load_page").wire_name
PICK = handler_by_key("ogp_app.pages.family.book.state.BookState.pick").wire_name
CHOOSE = handler_by_key("ogp_app.pages.family.book.state.BookState.choose").wire_name
BOOK_STATE = LOAD.rpartition(".")[0]


def _book(client: ReflexClient, handler: str, payload: dict[str, Any]) -> dict[str, Any]:
    state = client.call(handler, payload, pathname="/book").barrier_state or {}
    return {k.removesuffix("_rx_state_"): v for k, v in (state.get(BOOK_STATE) or {}).items()}


def test_a_time_from_an_older_grid_books_nothing(factory: Factory, open_client: OpenClient) -> None:
    w = build_world(factory)
    token = create_session(factory.session, user_id=w.parent.user_id, school_id=w.school_id)
    client = open_client(cookie=f"{get_settings().session_cookie_name}={token}")
    meetings = _book(client, LOAD, {})["meetings"]
    assert len(meetings) == 2  # Noah and Emma, each with their own teacher
    first = _book(client, PICK, {"key": meetings[0]["key"]})
    older_keys = [slot["key"] for slot in first["slots"]]
    second = _book(client, PICK, {"key": meetings[1]["key"]})
    assert second["slots"] and not set(older_keys) & {slot["key"] for slot in second["slots"]}

    after = _book(client, CHOOSE, {"slot_key": older_keys[0]})

    assert _bookings(w.school_id, w.round_id) == []
    assert after["access"] == ""  # refused: the page was wiped, as for any unknown key

    # the same parent, with a key of the grid now shown, books that time: only the stale key was refused
    meetings = _book(client, LOAD, {})["meetings"]
    current = _book(client, PICK, {"key": meetings[1]["key"]})["slots"][0]
    assert _book(client, CHOOSE, {"slot_key": current["key"]})["notice"]["kind"] == "ok"
    assert len(_bookings(w.school_id, w.round_id)) == 1


def _bookings(school_id: int, round_id: int) -> list[Booking]:
    with school_session(school_id) as db:
        return list(db.exec(select(Booking).where(Booking.round_id == round_id)).all())
