"""Fixtures of the hostile-client tests: two seeded schools, websocket clients, a liveness check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.security.reflex_client import ReflexClient
from tests.security.support import TwoSchools, seed_two_schools
from tests.support.factories import Factory
from tests.support.server import RunningApp

SAME_ORIGIN: Any = object()  # open_client(origin=...) default: the app's own origin, as a browser sends it

OpenClient = Callable[..., ReflexClient]


@pytest.fixture
def schools(factory: Factory) -> TwoSchools:
    """School A (admin, teacher, parent, all with a session) and school B (an admin with a session)."""
    return seed_two_schools(factory)


@pytest.fixture
def open_client(running_app: RunningApp) -> Iterator[OpenClient]:
    """Connect a websocket client: ``open_client(cookie=..., origin=..., token=...)``; closed afterwards."""
    clients: list[ReflexClient] = []

    def open_(*, cookie: str | None = None, origin: Any = SAME_ORIGIN, **kwargs: Any) -> ReflexClient:
        client = ReflexClient(
            running_app.base_url,
            cookie=cookie,
            origin=running_app.base_url if origin is SAME_ORIGIN else origin,
            **kwargs,
        )
        clients.append(client)
        return client.connect()

    yield open_
    for client in clients:
        client.close()


def check_server_alive(running_app: RunningApp) -> None:
    """The process runs, answers HTTP health, and a fresh websocket still gets its events processed."""
    assert running_app.process.poll() is None, f"the app server died; see {running_app.log_path}"
    response = httpx.get(f"{running_app.base_url}/api/health", timeout=10)
    assert response.status_code == 200, response.text
    with ReflexClient(running_app.base_url, origin=running_app.base_url) as probe:
        assert probe.ping(), "no pong from the websocket"
        assert probe.call("reflex___state____state.set_is_hydrated", {"value": True}).completed


@pytest.fixture
def server_alive(running_app: RunningApp) -> Callable[[], None]:
    return lambda: check_server_alive(running_app)
