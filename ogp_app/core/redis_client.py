"""The one Redis connection pool of a process, from ``OGP_REDIS_URL`` (None: no Redis configured).

Reflex keeps page states in Redis itself; this client is for OGP's own short-lived data that every
backend worker must see (an uploaded roster between its steps). Short timeouts: Redis is local, and a
handler must fail with a message rather than hang when it is gone.
"""

from __future__ import annotations

from functools import lru_cache

import redis

from ogp_app.core.settings import get_settings

TIMEOUT_SECONDS = 5.0


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS)


def redis_client() -> redis.Redis | None:
    url = get_settings().redis_url
    return _client(url) if url else None
