"""Rate limits for the websocket: token buckets per connection, per session and per client address.

Framework-free rules; ``ogp_app.websocket_guard`` asks :class:`FloodGuard` before Reflex sees an event.
The clock is injected, so tests need no sleeps. A refusal is final for its connection: the adapter sends
a notice and disconnects. Measured on the real pages (Playwright counting the frames the browser sends):
a page load sends 1-3 events, a log-in with its redirects 5 in 1.5 s, each tap one; tapping as fast as
a person can is about 7 a second. The defaults leave room for several times that.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN_ADDRESS = "unknown"
_PRUNE_EVERY_SECONDS = 30.0
# A stopped page may not reconnect for this long ("wait a minute, then reload", says its notice): a
# reconnect loads the server's state, which never held the notice, and the page would carry on as if
# nothing happened while whatever flooded it (a stuck key, a script) goes on.
STOP_HOLDS_SECONDS = 60.0


@dataclass
class TokenBucket:
    """``capacity`` tokens at most, ``rate`` added per second; an event takes one."""

    capacity: float
    rate: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, size: BucketSize, now: float) -> TokenBucket:
        return cls(capacity=size.burst, rate=size.per_second, tokens=size.burst, updated=now)

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = now

    def take(self, now: float) -> bool:
        self._refill(now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def is_full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.capacity


@dataclass(frozen=True)
class BucketSize:
    burst: int
    per_second: float


@dataclass(frozen=True)
class Limits:
    connection: BucketSize
    session: BucketSize
    address: BucketSize
    max_pending: int  # events of one connection queued or running at once
    max_event_bytes: int


class Refusal(StrEnum):
    TOO_LARGE = "size"
    TOO_MANY_PENDING = "pending"
    CONNECTION_RATE = "connection"
    SESSION_RATE = "session"
    ADDRESS_RATE = "address"


@dataclass
class _Connection:
    session: str | None
    address: str
    bucket: TokenBucket
    refusal: Refusal | None = None


class FloodGuard:
    """The buckets of one backend process. Sessions and addresses keep their buckets after a connection
    closes (a reconnect does not refill them); a bucket that has filled up again is forgotten, as a new
    one would be the same."""

    def __init__(self, limits: Limits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._connections: dict[str, _Connection] = {}
        self._shared: dict[tuple[str, str], TokenBucket] = {}
        self._stopped: dict[str, tuple[float, Refusal, int]] = {}  # page token -> (until, why, size)
        self._pruned_at = clock()

    def open(self, connection: str, *, session: str | None, address: str) -> None:
        now = self._clock()
        self._prune(now)
        bucket = TokenBucket.full(self.limits.connection, now)
        self._connections[connection] = _Connection(session=session, address=address, bucket=bucket)

    def close(self, connection: str) -> None:
        self._connections.pop(connection, None)

    def refusal(self, connection: str) -> Refusal | None:
        found = self._connections.get(connection)
        return found.refusal if found else None

    def admit(self, connection: str, *, size: int, pending: int) -> Refusal | None:
        """None when the event may go on; else why not (and the connection stays refused)."""
        found = self._connections.get(connection)
        if found is None:
            return Refusal.CONNECTION_RATE  # not opened (or closed): nothing of it may run
        if found.refusal is None:
            found.refusal = self._check(found, size=size, pending=pending)
        return found.refusal

    def hold_stopped(self, page: str | None, refusal: Refusal, size: int) -> None:
        """Refuse the reconnects of the stopped page (its client token) for STOP_HOLDS_SECONDS."""
        if page:
            self._stopped[page] = (self._clock() + STOP_HOLDS_SECONDS, refusal, size)

    def stopped(self, page: str | None) -> tuple[Refusal, int] | None:
        """Why the page was stopped (and the event's size) while its hold lasts; else None."""
        found = self._stopped.get(page) if page else None
        if found is None or found[0] <= self._clock():
            return None
        return found[1], found[2]

    def _check(self, conn: _Connection, *, size: int, pending: int) -> Refusal | None:
        if size > self.limits.max_event_bytes:
            return Refusal.TOO_LARGE
        if pending >= self.limits.max_pending:
            return Refusal.TOO_MANY_PENDING
        now = self._clock()
        if not conn.bucket.take(now):
            return Refusal.CONNECTION_RATE
        if conn.session is not None and not self._shared_bucket("session", conn.session, now).take(now):
            return Refusal.SESSION_RATE
        if not self._shared_bucket("address", conn.address, now).take(now):
            return Refusal.ADDRESS_RATE
        return None

    def _shared_bucket(self, kind: str, key: str, now: float) -> TokenBucket:
        bucket = self._shared.get((kind, key))
        if bucket is None:
            size = self.limits.session if kind == "session" else self.limits.address
            bucket = self._shared[(kind, key)] = TokenBucket.full(size, now)
        return bucket

    def _prune(self, now: float) -> None:
        if now - self._pruned_at < _PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        for key in [key for key, bucket in self._shared.items() if bucket.is_full(now)]:
            del self._shared[key]
        for page in [page for page, (until, _, _) in self._stopped.items() if until <= now]:
            del self._stopped[page]

    def shared_bucket_count(self) -> int:
        return len(self._shared)


def session_key(token: str | None) -> str | None:
    """What the limits remember of a session cookie: a hash, never the token; None without a cookie.
    Anonymous connections have no session budget of their own: they share their address's."""
    if not token:
        return None
    return hashlib.sha256(b"ogp-websocket-limit\0" + token.encode("utf-8", "surrogatepass")).hexdigest()


def parse_networks(values: Iterable[str]) -> list[IPNetwork]:
    """``10.0.0.1``, ``10.0.0.0/8`` or ``fd00::/8``; raises ValueError naming a bad entry."""
    networks: list[IPNetwork] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {value.strip()!r}") from exc
    return networks


def client_ip(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[IPNetwork]
) -> IPAddress | None:
    """The client's address: the peer, unless the peer is a trusted proxy: then the nearest
    ``X-Forwarded-For`` hop (right to left) that is not a trusted proxy itself. A client's own
    ``X-Forwarded-For`` is ignored otherwise. None when the peer is no address."""
    current = _ip(peer)
    if current is None:
        return None
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    while hops and any(current in network for network in trusted):
        hop = _ip(hops.pop())
        if hop is None:
            break  # garbage before our proxy's entry came from the client: stay with the proxy's hop
        current = hop
    if isinstance(current, ipaddress.IPv6Address) and current.ipv4_mapped is not None:
        return current.ipv4_mapped
    return current


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[IPNetwork]) -> str:
    """The address whose budget an event counts against (:func:`client_ip`). IPv6 addresses count per
    /64 (one household or one attacker holds a whole /64)."""
    current = client_ip(peer, forwarded_for, trusted)
    if current is None:
        return UNKNOWN_ADDRESS
    if isinstance(current, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{current}/64", strict=False))
    return str(current)


def _ip(value: str | None) -> IPAddress | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
