"""The served app as the operator runs it with metrics and JSON logs on (PROMETHEUS_MULTIPROC_DIR,
OGP_METRICS_TOKEN, OGP_LOG_FORMAT=json): page events sent over the real websocket are timed under their
handler's name, a flood's refusal is counted, a stranger gets 404, and the backend's log lines are JSON."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET_KEY
from tests.security.handlers import handler_by_key
from tests.security.reflex_client import BARRIER_EVENT, ConnectionLost, ReflexClient
from tests.support.metrics import TOKEN, value
from tests.support.server import RunningApp, start_app

COUNT_VISIT = handler_by_key("ogp_app.pages.public.visits.VisitState.count_visit").wire_name
CONTACT = {"pathname": "/contact", "asPath": "/contact"}
BURST = 30  # a connection's events in a row before the flood guard stops it


@pytest.fixture(scope="module")
def metrics_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ogp-metrics-") as directory:
        yield Path(directory)


@pytest.fixture(scope="module")
def served(migrated_database: str, metrics_dir: Path) -> Iterator[RunningApp]:
    app = start_app(
        database_url=migrated_database,
        secret_key=TEST_SECRET_KEY,
        extra_env={
            "OGP_METRICS_TOKEN": TOKEN,
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "OGP_LOG_FORMAT": "json",
            "OGP_WEBSOCKET_EVENT_BURST": str(BURST),
        },
    )
    yield app
    app.stop()


def scrape(app: RunningApp, **headers: str) -> httpx.Response:
    return httpx.get(f"{app.base_url}/api/metrics", headers=headers, timeout=10)


def test_events_are_timed_per_handler_and_a_flood_is_counted(served: RunningApp, metrics_dir: Path) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    before = scrape(served, **bearer).text
    visits = {"handler": "VisitState.count_visit"}
    tab = ReflexClient(served.base_url, origin=served.base_url).connect()
    for _ in range(5):
        tab.send_event(COUNT_VISIT, router_data=CONTACT)
    assert tab.call(BARRIER_EVENT, router_data=CONTACT).completed
    after = scrape(served, **bearer).text
    assert (
        value(after, "ogp_page_event_seconds_count", **visits)
        - value(before, "ogp_page_event_seconds_count", **visits)
        == 5
    )
    assert value(after, "ogp_page_event_seconds_bucket", le="+Inf", **visits) >= 5
    assert list(metrics_dir.glob("*.db")), "multiprocess mode writes its values to the directory"

    flood = ReflexClient(served.base_url, origin=served.base_url).connect()
    with pytest.raises(ConnectionLost):
        for _ in range(BURST * 4):
            flood.send_event(COUNT_VISIT, router_data=CONTACT)
        flood.drain(30)
    refused = scrape(served, **bearer).text
    websocket = {"limiter": "websocket", "kind": "connection"}
    assert value(refused, "ogp_limit_refusals_total", **websocket) > value(
        after, "ogp_limit_refusals_total", **websocket
    )

    assert scrape(served).status_code == 404
    assert scrape(served, Authorization="Bearer wrong-token-wrong-token-wrong-token").status_code == 404


def test_every_log_line_is_json(served: RunningApp) -> None:
    """Reflex's lines (the command, the workers) and ours alike; the flood above made the guard warn."""
    lines = [line for line in served.log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    for record in records:
        assert {"timestamp", "level", "logger", "message"} <= set(record), record
    guard = [r for r in records if r["logger"] == "ogp_app.websocket_guard"]
    assert guard and "over a limit" in guard[0]["message"] and guard[0]["level"] == "warning"
    assert set(guard[0]) == {"timestamp", "level", "logger", "message"}
