"""GET /api/metrics: the Prometheus text, for the operator's scraper only (deploy/metrics.md).

Answered to a client whose address is in ``OGP_METRICS_ALLOWED_ADDRESSES`` (the address as the
websocket limits see it: X-Forwarded-For is believed only from ``OGP_TRUSTED_PROXIES``) or that sends
``Authorization: Bearer <OGP_METRICS_TOKEN>``. Everyone else, and everyone when neither is set, gets the
same plain 404 as a path that does not exist: nothing tells a stranger the route is there.
"""

from __future__ import annotations

import hmac
from functools import lru_cache

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ogp_app.core.db import session as db_session
from ogp_app.core.metrics import exposition
from ogp_app.core.settings import Settings, get_settings
from ogp_app.core.websocket_limits import IPNetwork, client_ip, parse_networks
from ogp_app.services.mail.queue_metrics import OutboxCollector

METRICS_PATH = "/api/metrics"


@lru_cache(maxsize=4)
def _networks(addresses: tuple[str, ...]) -> list[IPNetwork]:
    return parse_networks(addresses)


def may_scrape(request: Request, settings: Settings) -> bool:
    token = settings.metrics_token
    if token is not None:
        sent = request.headers.get("authorization", "").encode("latin-1")
        expected = b"Bearer " + token.get_secret_value().encode("utf-8")
        if hmac.compare_digest(sent, expected):
            return True
    if not settings.metrics_allowed_addresses:
        return False
    peer = request.client.host if request.client else None
    trusted = _networks(tuple(settings.trusted_proxies))
    address = client_ip(peer, request.headers.getlist("x-forwarded-for"), trusted)
    allowed = _networks(tuple(settings.metrics_allowed_addresses))
    return address is not None and any(address in network for network in allowed)


def _scrape() -> bytes:
    return exposition([OutboxCollector(db_session)])


async def metrics_route(request: Request) -> Response:
    if not may_scrape(request, get_settings()):
        return PlainTextResponse("Not Found", status_code=404)
    body = await run_in_threadpool(_scrape)  # the outbox query must not hold up the event loop
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
