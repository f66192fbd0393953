"""The client's address as OGP counts it (log-in throttles, audit lines, visit counts, the metrics
allow-list): the connection's peer, unless that peer is one of ``OGP_TRUSTED_PROXIES`` (Caddy in the
production setup), then the nearest ``X-Forwarded-For`` hop that is not a trusted proxy itself. One rule
for the HTTP routes, the page states and the websocket guard; without it every visitor behind the proxy
would share the proxy's address, and one failed log-in flood would lock everyone out."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ogp_app.core.settings import get_settings
from ogp_app.core.websocket_limits import IPAddress, IPNetwork, client_ip, parse_networks


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> list[IPNetwork]:
    return parse_networks(values)


def trusted_proxies() -> list[IPNetwork]:
    return _networks(tuple(get_settings().trusted_proxies))


def client_ip_address(peer: str | None, forwarded_for: Sequence[str]) -> IPAddress | None:
    return client_ip(peer, forwarded_for, trusted_proxies())


def client_ip_text(peer: str | None, forwarded_for: Sequence[str]) -> str | None:
    address = client_ip_address(peer, forwarded_for)
    return str(address) if address is not None else None
