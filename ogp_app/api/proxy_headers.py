"""The visitor's own address behind our reverse proxy, for every part of the app at once.

Behind Caddy every connection comes from Caddy's address. The log-in and mail rate limits (HTTP routes:
``request.client``; pages: Reflex's ``router.session.client_ip``) and the visit counts all read the ASGI
scope's ``client``, so without this they would count every visitor as one. When the peer is one of
``OGP_TRUSTED_PROXIES``, granian's proxy-headers wrapper puts the nearest ``X-Forwarded-For`` hop that is
not a trusted proxy in the scope (and ``X-Forwarded-Proto`` in its scheme), for HTTP and the websocket
alike. From any other peer the headers are ignored, so a client cannot choose the address it is counted
under. No trusted proxies (the default): the app is left as it is.
"""

from __future__ import annotations

from granian.utils.proxies import wrap_asgi_with_proxy_headers
from starlette.types import ASGIApp

from ogp_app.core.settings import get_settings
from ogp_app.core.websocket_limits import parse_networks


def trust_proxy_headers(app: ASGIApp) -> ASGIApp:
    """``app`` seeing the client's address through the trusted proxies (api_transformer's outermost)."""
    networks = parse_networks(get_settings().trusted_proxies)
    if not networks:
        return app
    # as networks ("127.0.0.1/32"): granian reads an entry without "/" as one address and an entry it
    # cannot parse as a host name, so "10.0.0.1/8" would silently trust nobody
    wrapped: ASGIApp = wrap_asgi_with_proxy_headers(app, trusted_hosts=[str(n) for n in networks])
    return wrapped
