"""When the database cannot be reached, people get a friendly page in their language with status 503,
not a bare "Internal Server Error"; page events go to /unavailable; /api/health says 503 (issue 20,
item 5). The app's HTTP side is driven with Starlette's TestClient against a database that is gone: a
SQLite file that cannot be opened, or a PostgreSQL server that refuses the connection."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import reflex as rx
from reflex.event import EventSpec
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.core import db as ogp_db
from ogp_app.core.settings import get_settings
from ogp_app.ogp_app import app
from ogp_app.pages.public.unavailable import UNAVAILABLE_PATH, backend_exception_handler
from ogp_app.state.base import AppState
from tests.support.factories import Factory
from tests.support.states import state_with_cookie

BASE = "http://localhost:3000"
GONE = {
    "sqlite": lambda tmp: f"sqlite:///{tmp / 'a-folder-not-a-database'}",
    "postgresql": lambda tmp: "postgresql://postgres@127.0.0.1:1/ogp",  # nothing listens on port 1
}


@pytest.fixture(params=sorted(GONE))
def database_gone(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    (tmp_path / "a-folder-not-a-database").mkdir()
    monkeypatch.setenv("OGP_DATABASE_URL", GONE[request.param](tmp_path))
    get_settings.cache_clear()
    ogp_db.reset_engine()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    ogp_db.reset_engine()


def _client(language: str | None = None) -> TestClient:
    client = TestClient(SecurityHeadersMiddleware(build_api()), base_url=BASE, raise_server_exceptions=False)
    if language:
        client.cookies.set("ogp_lang", language)
    return client


def test_health_says_503(database_gone: None) -> None:
    response = _client().get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        (None, "Even niet bereikbaar", "Probeer het over een minuut opnieuw."),
        ("en", "Briefly unavailable", "Please try again in a minute."),
    ],
)
def test_a_download_shows_the_friendly_page_in_the_visitors_language(
    database_gone: None, language: str | None, title: str, body: str
) -> None:
    client = _client(language)
    client.cookies.set("ogp_session", "a-session-token-the-database-would-check")
    response = client.get("/api/book/calendar.ics")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["retry-after"] == "30" and response.headers["cache-control"] == "no-store"
    assert f"<h1>{title}</h1>" in response.text and body in response.text
    assert "Internal Server Error" not in response.text and "Traceback" not in response.text
    assert "content-security-policy" in response.headers  # the page keeps the security headers


def test_a_log_in_form_post_shows_the_friendly_page(database_gone: None) -> None:
    response = _client("en").post(
        "/api/auth/login", data={"email": "ouder@example.org", "password": "x" * 12}, headers={"Origin": BASE}
    )
    assert response.status_code == 503
    assert "<h1>Briefly unavailable</h1>" in response.text


def test_with_the_database_back_the_same_download_answers_as_usual(factory: Factory) -> None:
    response = _client().get("/api/book/calendar.ics")
    assert response.status_code == 401  # signed out: the route's own answer, not the 503 page


def _shown(event: EventSpec) -> tuple[str, list[tuple[str, str]]]:
    """What the browser is told to do: the client event's name and its arguments as JavaScript."""
    return event.handler.fn.__name__, [(str(name), str(value)) for name, value in event.args]


def test_a_page_event_that_finds_the_database_gone_goes_to_the_unavailable_page(database_gone: None) -> None:
    """Every page's on_load reads the session; Reflex hands its error to the app's handler."""
    state = state_with_cookie(AppState, "ogp_session=some-token")
    with pytest.raises(OperationalError) as caught:
        asyncio.run(AppState.event_handlers["load_session"].fn(state))
    assert app.backend_exception_handler is backend_exception_handler
    assert _shown(backend_exception_handler(caught.value)) == _shown(rx.redirect(UNAVAILABLE_PATH))


def test_other_event_errors_keep_reflexs_generic_message() -> None:
    assert _shown(backend_exception_handler(ValueError("a bug")))[0] != "_redirect"
