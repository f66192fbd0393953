"""The uploaded file between the page's steps: only for its uploader, only while fresh."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import cast

import pytest
import redis

from ogp_app.core.settings import get_settings
from ogp_app.services.roster_import import holding


def test_only_the_uploader_at_the_school_gets_the_file_back() -> None:
    key = holding.hold(school_id=1, user_id=7, data=b"roster")
    assert holding.held(key, school_id=1, user_id=7) == b"roster"
    assert holding.held(key, school_id=2, user_id=7) is None
    assert holding.held(key, school_id=1, user_id=8) is None
    assert holding.held("guessed", school_id=1, user_id=7) is None
    holding.release(key)
    assert holding.held(key, school_id=1, user_id=7) is None


def test_expired_files_are_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    key = holding.hold(school_id=1, user_id=7, data=b"roster")
    later = holding.time.monotonic() + holding.TTL_SECONDS + 1
    monkeypatch.setattr(holding.time, "monotonic", lambda: later)
    assert holding.held(key, school_id=1, user_id=7) is None


def test_the_store_is_bounded() -> None:
    keys = [holding.hold(school_id=1, user_id=n, data=b"x") for n in range(holding.MAX_HELD + 5)]
    assert holding.held(keys[0], school_id=1, user_id=0) is None
    assert holding.held(keys[-1], school_id=1, user_id=len(keys) - 1) == b"x"


# With several backend workers the file is held in Redis (the real server on 127.0.0.1:6379, a database
# and prefix of this test's own), so any worker finds it; what an operator or a Redis dump could see there.

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    """hold/held/release with OGP_REDIS_URL set, under a prefix of this test's own."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis does not answer on 127.0.0.1:6379 (make test needs it running)")
    prefix = f"ogp-test:{secrets.token_hex(6)}:"
    monkeypatch.setenv("OGP_REDIS_URL", REDIS_URL)
    monkeypatch.setattr(holding, "REDIS_PREFIX", prefix)
    get_settings.cache_clear()
    yield client
    get_settings.cache_clear()
    for name in client.scan_iter(f"{prefix}*"):
        client.delete(name)


def _stored(client: redis.Redis) -> dict[bytes, bytes]:
    prefix = holding.REDIS_PREFIX
    return {name: cast(bytes, client.get(name)) for name in client.scan_iter(f"{prefix}*")}


def test_in_redis_only_the_uploader_gets_the_file_back(redis_store: redis.Redis) -> None:
    key = holding.hold(school_id=1, user_id=7, data=b"roster")
    assert holding.held(key, school_id=1, user_id=7) == b"roster"
    assert holding.held(key, school_id=2, user_id=7) is None
    assert holding.held(key, school_id=1, user_id=8) is None
    assert holding.held(key + "x", school_id=1, user_id=7) is None
    holding.release(key)
    assert holding.held(key, school_id=1, user_id=7) is None
    assert all(b"owner" in name for name in _stored(redis_store))  # only the pointer is left, to nothing


def test_redis_holds_neither_the_roster_nor_a_key_that_works(redis_store: redis.Redis) -> None:
    pupil = b"Noah van den Berg;Groep 5;ouder@example.org"
    key = holding.hold(school_id=1, user_id=7, data=pupil)
    stored = _stored(redis_store)
    assert len(stored) == 2  # the file and its owner's pointer
    for name, value in stored.items():
        assert pupil not in value and b"Noah" not in value
        assert key.encode() not in name and key.encode() not in value
        assert 0 < cast(int, redis_store.ttl(name)) <= holding.TTL_SECONDS


def test_a_tampered_file_in_redis_is_not_handed_out(redis_store: redis.Redis) -> None:
    key = holding.hold(school_id=1, user_id=7, data=b"roster")
    (name,) = [n for n in _stored(redis_store) if b"owner" not in n]
    redis_store.set(name, b"1:7\nroster")  # written in clear by someone with access to Redis
    assert holding.held(key, school_id=1, user_id=7) is None


def test_a_new_upload_drops_the_persons_previous_file_only(redis_store: redis.Redis) -> None:
    first = holding.hold(school_id=1, user_id=7, data=b"first")
    colleague = holding.hold(school_id=1, user_id=8, data=b"colleague")
    second = holding.hold(school_id=1, user_id=7, data=b"second")
    assert holding.held(first, school_id=1, user_id=7) is None
    assert holding.held(second, school_id=1, user_id=7) == b"second"
    assert holding.held(colleague, school_id=1, user_id=8) == b"colleague"
