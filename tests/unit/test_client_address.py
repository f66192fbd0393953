"""Behind the reverse proxy (OGP_TRUSTED_PROXIES), the log-in throttles, audit lines and visit counts see
each visitor's own address, on the HTTP routes and in the page states alike; a visitor who writes its
own X-Forwarded-For is still counted under the address it connects from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from starlette.requests import Request

from ogp_app.api.auth import client_ip
from ogp_app.core.settings import get_settings
from ogp_app.state.base import AppState

PROXY, VISITOR, SPOOFED = "127.0.0.1", "203.0.113.9", "198.51.100.7"


@pytest.fixture
def behind_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OGP_TRUSTED_PROXIES", PROXY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 40000), "headers": headers})


def _page_state(peer: str, forwarded: str | None) -> AppState:
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    root.router = RouterData.from_router_data({"headers": headers, "ip": peer})
    state = root.get_substate(AppState.get_full_name().split(".")[1:])
    assert isinstance(state, AppState)
    return state


@pytest.mark.usefixtures("behind_proxy")
def test_behind_the_proxy_each_visitor_counts_under_its_own_address() -> None:
    assert client_ip(_request(PROXY, VISITOR)) == VISITOR
    assert _page_state(PROXY, VISITOR)._client_ip() == VISITOR
    # the visitor's own header comes first; the proxy appends what it saw: that one counts
    assert client_ip(_request(PROXY, f"{SPOOFED}, {VISITOR}")) == VISITOR
    assert _page_state(PROXY, f"{SPOOFED}, {VISITOR}")._client_ip() == VISITOR


@pytest.mark.usefixtures("behind_proxy")
def test_a_visitor_connecting_directly_cannot_choose_its_address() -> None:
    assert client_ip(_request(VISITOR, SPOOFED)) == VISITOR
    assert _page_state(VISITOR, SPOOFED)._client_ip() == VISITOR


def test_without_a_trusted_proxy_the_header_is_ignored() -> None:
    assert client_ip(_request(PROXY, SPOOFED)) == PROXY
    assert _page_state(PROXY, SPOOFED)._client_ip() == PROXY
