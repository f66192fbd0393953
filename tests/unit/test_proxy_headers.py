"""Behind the reverse proxy (OGP_TRUSTED_PROXIES) every part of the app sees the visitor's own address:
the HTTP routes (log-in throttles) and the websocket, whose scope Reflex copies into the page states'
``router.session.client_ip`` (sign-up, reset, contact throttles, visit counts). A visitor who writes its
own X-Forwarded-For is counted under the address it connects from."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from ogp_app.api.proxy_headers import trust_proxy_headers
from ogp_app.core.settings import get_settings

PROXY, VISITOR, SPOOFED = "127.0.0.1", "203.0.113.9", "198.51.100.7"


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OGP_TRUSTED_PROXIES", PROXY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _seen_client(kind: str, peer: str, forwarded: str | None) -> str:
    """The client address an app behind ``trust_proxy_headers`` gets for one connection of ``kind``."""
    seen: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.update(scope)

    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": kind, "client": (peer, 40000), "headers": headers, "scheme": "http", "path": "/"}
    asyncio.run(trust_proxy_headers(app)(scope, None, None))  # type: ignore[arg-type]
    return str(seen["client"][0])


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_behind_the_proxy_each_visitor_counts_under_its_own_address(kind: str) -> None:
    assert _seen_client(kind, PROXY, VISITOR) == VISITOR
    # the visitor's own header comes first; the proxy appends the address it saw: that one counts
    assert _seen_client(kind, PROXY, f"{SPOOFED}, {VISITOR}") == VISITOR


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_a_visitor_connecting_directly_cannot_choose_its_address(kind: str) -> None:
    assert _seen_client(kind, VISITOR, SPOOFED) == VISITOR


def test_without_a_trusted_proxy_the_header_is_ignored() -> None:
    assert _seen_client("http", PROXY, SPOOFED) == PROXY
