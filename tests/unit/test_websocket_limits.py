"""The flood rules without a server: token buckets, whose budget an event counts against, refusals."""

from __future__ import annotations

import pytest

from ogp_app.core.websocket_limits import (
    STOP_HOLDS_SECONDS,
    BucketSize,
    FloodGuard,
    Limits,
    Refusal,
    client_address,
    parse_networks,
    session_key,
)

LIMITS = Limits(
    connection=BucketSize(burst=10, per_second=2),
    session=BucketSize(burst=15, per_second=3),
    address=BucketSize(burst=25, per_second=5),
    max_pending=4,
    max_event_bytes=1000,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(clock: Clock) -> FloodGuard:
    return FloodGuard(LIMITS, clock=clock)


def admitted(guard: FloodGuard, connection: str, count: int) -> int:
    """How many of ``count`` back-to-back events get through."""
    return sum(guard.admit(connection, size=100, pending=0) is None for _ in range(count))


def test_a_burst_then_the_rate(guard: FloodGuard, clock: Clock) -> None:
    guard.open("c1", session=None, address="192.0.2.1")
    assert admitted(guard, "c1", 10) == 10
    assert guard.admit("c1", size=100, pending=0) is Refusal.CONNECTION_RATE


def test_a_refusal_is_final_for_the_connection(guard: FloodGuard, clock: Clock) -> None:
    guard.open("c1", session=None, address="192.0.2.1")
    admitted(guard, "c1", 11)
    clock.now += 3600  # the bucket is full again, the connection stays refused
    assert guard.admit("c1", size=100, pending=0) is Refusal.CONNECTION_RATE
    assert guard.refusal("c1") is Refusal.CONNECTION_RATE


def test_tapping_at_the_rate_is_never_limited(guard: FloodGuard, clock: Clock) -> None:
    guard.open("c1", session=session_key("cookie"), address="192.0.2.1")
    for _ in range(1000):  # two events a second, forever
        assert guard.admit("c1", size=100, pending=0) is None
        clock.now += 0.5


def test_the_bucket_refills_with_time(guard: FloodGuard, clock: Clock) -> None:
    guard.open("c1", session=None, address="192.0.2.1")
    assert admitted(guard, "c1", 10) == 10
    clock.now += 2.0  # 2 per second: 4 more
    assert admitted(guard, "c1", 4) == 4
    assert guard.admit("c1", size=100, pending=0) is Refusal.CONNECTION_RATE


def test_a_connection_not_opened_gets_nothing(guard: FloodGuard) -> None:
    assert guard.admit("never-opened", size=10, pending=0) is not None


def test_too_large_and_too_many_pending(guard: FloodGuard) -> None:
    guard.open("big", session=None, address="192.0.2.1")
    guard.open("busy", session=None, address="192.0.2.1")
    assert guard.admit("big", size=1000, pending=0) is None
    assert guard.admit("big", size=1001, pending=0) is Refusal.TOO_LARGE
    assert guard.admit("busy", size=10, pending=3) is None
    assert guard.admit("busy", size=10, pending=4) is Refusal.TOO_MANY_PENDING


def test_connections_of_one_session_share_its_budget(guard: FloodGuard) -> None:
    session = session_key("the-same-cookie")
    for name, address in [("tab1", "192.0.2.1"), ("tab2", "198.51.100.7")]:
        guard.open(name, session=session, address=address)
    assert admitted(guard, "tab1", 10) == 10
    assert admitted(guard, "tab2", 5) == 5
    assert guard.admit("tab2", size=10, pending=0) is Refusal.SESSION_RATE


def test_anonymous_connections_share_their_address_budget(guard: FloodGuard) -> None:
    for name in ["a", "b", "c"]:
        guard.open(name, session=None, address="192.0.2.1")
    assert admitted(guard, "a", 10) + admitted(guard, "b", 10) == 20
    assert admitted(guard, "c", 5) == 5
    assert guard.admit("c", size=10, pending=0) is Refusal.ADDRESS_RATE
    guard.open("elsewhere", session=None, address="192.0.2.2")
    assert admitted(guard, "elsewhere", 10) == 10


def test_a_reconnect_does_not_refill_the_address(guard: FloodGuard) -> None:
    for round_ in range(3):
        guard.open(f"c{round_}", session=None, address="192.0.2.1")
        admitted(guard, f"c{round_}", 10)
        guard.close(f"c{round_}")
    guard.open("again", session=None, address="192.0.2.1")
    assert guard.admit("again", size=10, pending=0) is Refusal.ADDRESS_RATE


def test_full_buckets_are_forgotten(guard: FloodGuard, clock: Clock) -> None:
    for i in range(50):
        guard.open(f"c{i}", session=session_key(f"s{i}"), address=f"192.0.2.{i}")
        admitted(guard, f"c{i}", 1)
        guard.close(f"c{i}")
    assert guard.shared_bucket_count() == 100
    clock.now += 60  # every bucket has filled up again
    guard.open("late", session=None, address="198.51.100.1")
    assert guard.shared_bucket_count() == 0


def test_session_key_is_a_hash_of_the_cookie() -> None:
    key = session_key("secret-token")
    assert key is not None and "secret-token" not in key and len(key) == 64
    assert session_key("secret-token") == key != session_key("other-token")
    assert session_key(None) is None and session_key("") is None


TRUSTED = parse_networks(["10.0.0.5", "172.16.0.0/12"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", [], "203.0.113.9"),
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # not a trusted proxy: its header is ignored
        ("10.0.0.5", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.5", ["1.2.3.4, 198.51.100.1"], "198.51.100.1"),  # the client's own entry is left of ours
        ("10.0.0.5", ["198.51.100.1, 172.16.4.4"], "198.51.100.1"),  # two trusted proxies in a row
        ("10.0.0.5", ["1.2.3.4", "198.51.100.1"], "198.51.100.1"),  # two headers: read as one list
        ("10.0.0.5", ["not-an-address"], "10.0.0.5"),
        ("10.0.0.5", [], "10.0.0.5"),
        ("2001:db8:1:2:aaaa::1", [], "2001:db8:1:2::/64"),
        ("10.0.0.5", ["2001:db8:1:2::99"], "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", [], "203.0.113.9"),
        (None, [], "unknown"),
        ("garbage", [], "unknown"),
    ],
)
def test_client_address(peer: str | None, forwarded: list[str], expected: str) -> None:
    assert client_address(peer, forwarded, TRUSTED) == expected


def test_without_trusted_proxies_the_header_never_counts() -> None:
    assert client_address("10.0.0.5", ["198.51.100.1"], []) == "10.0.0.5"


def test_a_bad_proxy_entry_is_named() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks(["10.0.0.1", "10.0.0.300"])


def test_a_stopped_page_may_not_reconnect_until_its_hold_ends(guard: FloodGuard, clock: Clock) -> None:
    guard.hold_stopped("page-1", Refusal.CONNECTION_RATE, 120)
    assert guard.stopped("page-1") == (Refusal.CONNECTION_RATE, 120)
    assert guard.stopped("page-2") is None  # another tab, or another visitor
    assert guard.stopped(None) is None
    clock.now += STOP_HOLDS_SECONDS - 1
    assert guard.stopped("page-1") is not None
    clock.now += 1
    assert guard.stopped("page-1") is None


def test_ended_holds_are_forgotten(guard: FloodGuard, clock: Clock) -> None:
    for n in range(100):
        guard.hold_stopped(f"page-{n}", Refusal.ADDRESS_RATE, 10)
    clock.now += STOP_HOLDS_SECONDS + 60
    guard.open("later", session=None, address="a")  # opening a connection prunes
    assert guard._stopped == {}
