"""Flood limits on the websocket, against the served app: cut-offs with a notice, a quiet backend after,
payload caps, shared address budgets, X-Forwarded-For only from a trusted proxy, bounded logs.

The server here runs the default limits except a smaller address budget (so three connections can
exhaust it) and trusts 127.0.0.2 as a proxy. Each test speaks from its own loopback address
(127.0.x.y), so its budgets are its own. Events are ``VisitState.count_visit`` on /contact: each one
processed bumps the page's view count, which tells how many the backend ran.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.core.settings import Settings
from ogp_app.models import PageView
from tests.conftest import TEST_SECRET_KEY
from tests.security.handlers import handler_by_key
from tests.security.reflex_client import (
    BARRIER_EVENT,
    REFLEX_EVENT,
    ConnectionLost,
    ConnectionRefused,
    ReflexClient,
)
from tests.security.support import TwoSchools
from tests.support.server import LIMITED_ADDRESS_BURST, TRUSTED_PROXY, RunningApp, start_limited_app

COUNT_VISIT = handler_by_key("ogp_app.pages.public.visits.VisitState.count_visit").wire_name
APP_STATE = handler_by_key("ogp_app.state.base.AppState.load_session").wire_name.rpartition(".")[0]
CONTACT = {"pathname": "/contact", "asPath": "/contact"}
ADDRESS_BURST = LIMITED_ADDRESS_BURST
DEFAULTS = Settings(env="development")


@pytest.fixture(scope="module")
def flood_app(migrated_database: str) -> Iterator[RunningApp]:
    app = start_limited_app(database_url=migrated_database, secret_key=TEST_SECRET_KEY)
    yield app
    app.stop()


def connect(app: RunningApp, source: str, **kwargs: Any) -> ReflexClient:
    return ReflexClient(app.base_url, origin=app.base_url, source_address=source, **kwargs).connect()


def views() -> int:
    with unscoped() as db:
        return sum(row.views for row in db.exec(select(PageView).where(PageView.path == "/contact")))


def notice(client: ReflexClient) -> dict[str, str] | None:
    """The limit notice the server sent this client, if any (its texts by language)."""
    for received in client.received:
        if received.event == REFLEX_EVENT and isinstance(received.data, dict):
            values = (received.data.get("delta") or {}).get(APP_STATE) or {}
            if values.get("limit_notice_nl_rx_state_"):  # a full state carries them empty
                return {lang: values[f"limit_notice_{lang}_rx_state_"] for lang in ("nl", "en")}
    return None


def send_visits(client: ReflexClient, count: int) -> int:
    """Send up to ``count`` events as fast as the socket takes them; how many went before a cut-off."""
    sent = 0
    try:
        while sent < count:
            for _ in range(min(25, count - sent)):
                client.send_event(COUNT_VISIT, router_data=CONTACT)
                sent += 1
            client.drain(0.001)
    except ConnectionLost:
        pass
    return sent


def test_a_flood_is_cut_off_with_a_notice_and_the_backend_goes_quiet(flood_app: RunningApp) -> None:
    before = views()
    client = connect(flood_app, "127.0.10.1", timeout=30)
    started = time.monotonic()
    sent = send_visits(client, 5000)
    with pytest.raises(ConnectionLost):
        client.drain(30)  # the notice, then the disconnect
    cut_at = time.monotonic()
    processed_at_cut = views() - before
    text = notice(client)
    assert text is not None, "no notice before the disconnect"
    # The tab's bucket runs out first, unless the server reads the flood so slowly (a busy machine) that
    # this server's small address bucket does: either way a rate notice naming its numbers.
    assert "achter elkaar" in text["nl"] and "in a row" in text["en"], text
    burst, rate = DEFAULTS.websocket_event_burst, DEFAULTS.websocket_events_per_second
    # The stopped tab may not come back for a minute, from anywhere: its notice stays on its page.
    with pytest.raises(ConnectionRefused, match="achter elkaar"):
        connect(flood_app, "127.0.10.2", token=client.token)
    # Whatever the flood left queued is dropped: a new tab elsewhere is answered at once, and nothing
    # more of the flood is processed meanwhile.
    probe = connect(flood_app, "127.0.10.3")
    assert probe.call(BARRIER_EVENT, router_data=CONTACT).completed
    assert probe.call(BARRIER_EVENT, router_data=CONTACT).completed
    quiet_at = time.monotonic()
    processed = views() - before
    print(
        f"\nflood: {sent} events sent in {cut_at - started:.2f} s, {processed} processed "
        f"({processed_at_cut} when cut off), quiet {1000 * (quiet_at - cut_at):.0f} ms after the cut-off"
    )
    assert processed <= burst + rate * (cut_at - started) + 1
    assert processed - processed_at_cut <= 1  # at most the one that was running


def test_an_oversize_payload_is_refused(flood_app: RunningApp) -> None:
    before = views()
    client = connect(flood_app, "127.0.11.1")
    limit = DEFAULTS.websocket_max_event_bytes
    with pytest.raises(ConnectionLost):
        client.send_event(COUNT_VISIT, {"note": "x" * (limit + 1)}, router_data=CONTACT)
        client.drain(30)
    text = notice(client)
    assert text is not None and f"de grens is {limit // 1024} kB" in text["nl"]
    assert views() == before


def test_a_fast_legitimate_parent_is_not_limited(flood_app: RunningApp, schools: TwoSchools) -> None:
    """Three page loads (a connect and its load each), then 4 s of 5 taps a second, all sent back to back
    (stricter than paced: the buckets get no time to refill)."""
    cookie = schools.a.people["parent"].cookie
    before = views()
    token = None
    for _ in range(3):
        tab = connect(flood_app, "127.0.12.1", cookie=cookie, token=token)
        token = tab.token
        tab.send_event(COUNT_VISIT, router_data=CONTACT)
        assert tab.call(BARRIER_EVENT, router_data=CONTACT).completed
    for _ in range(20):
        tab.send_event(COUNT_VISIT, router_data=CONTACT)
    assert tab.call(BARRIER_EVENT, router_data=CONTACT).completed
    assert tab.ping() and notice(tab) is None
    assert views() - before == 23


def _three_connections(app: RunningApp, source: str, forwarded: list[str | None]) -> list[ReflexClient]:
    clients = []
    for claimed in forwarded:
        headers = {"X-Forwarded-For": claimed} if claimed else {}
        client = connect(app, source, extra_headers=headers)
        clients.append(client)
        try:  # 42 events each (the connect, barriers), on its own well under a connection's 60
            for _ in range(4):
                for _ in range(9):  # a few at a time: never near the 20 that may wait at once
                    client.send_event(COUNT_VISIT, router_data=CONTACT)
                client.call(BARRIER_EVENT, router_data=CONTACT)
        except ConnectionLost:
            break
    return clients


def test_three_connections_from_one_address_share_its_budget(flood_app: RunningApp) -> None:
    first, second, third = _three_connections(flood_app, "127.0.13.1", [None, None, None])
    assert first.connected and second.connected and notice(first) is None and notice(second) is None
    assert not third.connected
    text = notice(third)
    assert text is not None and "internetadres" in text["nl"] and f"meer dan {ADDRESS_BURST}" in text["nl"]
    assert connect(flood_app, "127.0.13.2").ping()  # another address has its own budget


def test_x_forwarded_for_is_ignored_from_anyone_but_a_trusted_proxy(flood_app: RunningApp) -> None:
    claims: list[str | None] = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    *_, spoofed = _three_connections(flood_app, "127.0.14.1", claims)
    assert not spoofed.connected and notice(spoofed) is not None  # they shared 127.0.14.1's budget

    proxied = _three_connections(flood_app, TRUSTED_PROXY, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert all(client.ping() and notice(client) is None for client in proxied)


def test_surrogates_and_megabytes_leave_the_log_bounded_and_intact(flood_app: RunningApp) -> None:
    junk = "\ud800\n\x1b[2J" * 4_000  # 56 kB as JSON; four in one event stay under the size limit
    log_before = flood_app.log_path.stat().st_size
    client = connect(flood_app, "127.0.15.1", timeout=30)
    events: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (COUNT_VISIT, {junk: junk}, {**CONTACT, "query": {junk: junk}}),
        (f"{APP_STATE}.set_language", {"language": junk}, CONTACT),
        (f"{APP_STATE}.{junk}", {"x": junk}, CONTACT),
        (junk, {}, {"pathname": junk}),
    ] * 3
    sent = 0
    for name, payload, router in events:
        client.send_event(name, payload, router_data=router)
        client.emit("client_error", {"message": junk, "error_type": junk})
        sent += len(json.dumps([name, payload, router, junk, junk]))
    assert client.call(BARRIER_EVENT, router_data=CONTACT).completed
    assert notice(client) is None
    log = flood_app.log_path.read_bytes()[log_before:]
    print(f"\nlog: {len(log)} bytes for about {sent // 1000} kB of hostile events")
    assert b"Logging error" not in log
    log.decode("utf-8")  # strict: nothing unencodable reached the file
    assert len(log) < 20_000 * len(events)
