"""A crashed backend worker comes back (issue 20, item 5): ``kill -9`` of the production app's worker
process, and granian (``ogp_app/core/serving.py``) starts a new one; the app answers again and a page's
websocket, reconnecting with its token as the browser does, gets its events handled."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import httpx
import psutil
import pytest

from tests.conftest import TEST_SECRET_KEY
from tests.security.reflex_client import ReflexClient
from tests.support.server import RunningApp, start_app

HYDRATE = "reflex___state____state.set_is_hydrated"


@pytest.fixture
def own_app(migrated_database: str) -> Iterator[RunningApp]:
    """An app of its own: the shared one must not lose its worker under other tests."""
    app = start_app(database_url=migrated_database, secret_key=TEST_SECRET_KEY, ogp_env="test")
    yield app
    app.stop()


def _worker(app: RunningApp) -> psutil.Process:
    """The backend worker: the supervisor's child that serves the port (a fork of the supervisor)."""
    supervisor = psutil.Process(app.process.pid)
    workers = [child for child in supervisor.children() if child.cmdline() == supervisor.cmdline()]
    assert len(workers) == 1, [(c.pid, c.cmdline()) for c in supervisor.children()]
    return workers[0]


def _answers(app: RunningApp) -> bool:
    try:
        return httpx.get(f"{app.base_url}/api/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _handles_events(app: RunningApp, token: str) -> bool:
    with ReflexClient(app.base_url, origin=app.base_url, token=token) as client:
        return client.ping() and client.call(HYDRATE, {"value": True}).completed


def test_a_killed_worker_is_replaced_and_the_page_reconnects(own_app: RunningApp) -> None:
    page = ReflexClient(own_app.base_url, origin=own_app.base_url).connect()
    assert page.call(HYDRATE, {"value": True}).completed
    killed = _worker(own_app)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=10)

    deadline = time.monotonic() + 60  # a new worker imports the app: seconds on a busy machine
    while not _answers(own_app) and own_app.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # polling for the new worker, not waiting out a time
    assert own_app.process.poll() is None, f"the app stopped with its worker; see {own_app.log_path}"
    assert _answers(own_app)
    assert _worker(own_app).pid != killed.pid
    page.close()
    assert _handles_events(own_app, page.token)  # the browser reconnects with its own token
