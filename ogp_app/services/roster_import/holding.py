"""An uploaded roster file between the upload and the import: never on disk, only for its uploader.

The page keeps only a random key in its (pickled, possibly stored) state; the bytes are held for at
most 30 minutes for the person and school that uploaded them:
- one backend process (no ``OGP_REDIS_URL``): in that process's memory;
- several workers (Redis configured): in Redis, so that whichever worker answers the next step finds
  the file. There it is encrypted with a key derived from ``OGP_SECRET_KEY`` (Redis may be shared or
  dumped), stored under a hash of the page's key (a Redis listing does not hand out keys that work),
  expires by itself, and a person holds one file at a time: a new upload drops the previous one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Protocol

import redis

from ogp_app.core.redis_client import redis_client
from ogp_app.services.auth.crypto import PURPOSE_ROSTER_FILE, SecretUnreadable, decrypt_bytes, encrypt_bytes

TTL_SECONDS = 30 * 60
MAX_HELD = 50  # files held at once in one process's memory; the oldest goes first
REDIS_PREFIX = "ogp:roster-file:"

logger = logging.getLogger(__name__)


class _Store(Protocol):
    def put(self, key: str, owner: tuple[int, int], data: bytes) -> None: ...
    def get(self, key: str, owner: tuple[int, int]) -> bytes | None: ...
    def drop(self, key: str) -> None: ...


@dataclass(frozen=True)
class _Held:
    owner: tuple[int, int]
    data: bytes
    expires: float


class _MemoryStore:
    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._held.items() if v.expires < now]:
            del self._held[key]
        while len(self._held) >= MAX_HELD:
            del self._held[min(self._held, key=lambda k: self._held[k].expires)]

    def put(self, key: str, owner: tuple[int, int], data: bytes) -> None:
        now = time.monotonic()
        with self._lock:
            self._prune(now)
            self._held[key] = _Held(owner, data, now + TTL_SECONDS)

    def get(self, key: str, owner: tuple[int, int]) -> bytes | None:
        with self._lock:
            found = self._held.get(key)
        if found is None or found.expires < time.monotonic() or found.owner != owner:
            return None
        return found.data

    def drop(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)


class RedisStore:
    """Files in Redis: ``<prefix><sha256(key)>`` holds the encrypted ``school:user`` line and the bytes;
    ``<prefix>owner:<school>:<user>`` names the person's one held file."""

    def __init__(self, client: redis.Redis) -> None:
        self._redis, self._prefix = client, REDIS_PREFIX

    def _file(self, key: str) -> str:
        return self._prefix + hashlib.sha256(key.encode()).hexdigest()

    def _owner(self, owner: tuple[int, int]) -> str:
        return f"{self._prefix}owner:{owner[0]}:{owner[1]}"

    def put(self, key: str, owner: tuple[int, int], data: bytes) -> None:
        sealed = encrypt_bytes(_owner_line(owner) + data, purpose=PURPOSE_ROSTER_FILE)
        earlier = self._redis.get(self._owner(owner))  # the person's previous file, if any
        with self._redis.pipeline(transaction=True) as batch:
            if isinstance(earlier, bytes):
                batch.delete(earlier.decode())
            batch.set(self._file(key), sealed, ex=TTL_SECONDS)
            batch.set(self._owner(owner), self._file(key), ex=TTL_SECONDS)
            batch.execute()

    def get(self, key: str, owner: tuple[int, int]) -> bytes | None:
        sealed = self._redis.get(self._file(key))
        if not isinstance(sealed, bytes):
            return None
        try:
            plain = decrypt_bytes(sealed, purpose=PURPOSE_ROSTER_FILE)
        except SecretUnreadable:
            return None  # another installation's key, or tampered with
        line = _owner_line(owner)
        return plain[len(line) :] if plain.startswith(line) else None

    def drop(self, key: str) -> None:
        self._redis.delete(self._file(key))


def _owner_line(owner: tuple[int, int]) -> bytes:
    return f"{owner[0]}:{owner[1]}\n".encode()


_MEMORY = _MemoryStore()


def _store() -> _Store:
    client = redis_client()
    return RedisStore(client) if client is not None else _MEMORY


def hold(*, school_id: int, user_id: int, data: bytes) -> str:
    """Hold ``data`` for its uploader; the key to ask for it again (blocking: call from a worker thread)."""
    key = secrets.token_urlsafe(24)
    _store().put(key, (school_id, user_id), data)
    return key


def held(key: str, *, school_id: int, user_id: int) -> bytes | None:
    """The file, only for the school and person who uploaded it and only while it is fresh."""
    if not isinstance(key, str) or not key:
        return None
    return _store().get(key, (school_id, user_id))


def release(key: str) -> None:
    """Drop a held file. Quiet when Redis is gone: the file expires within TTL_SECONDS anyway."""
    if not isinstance(key, str) or not key:
        return
    try:
        _store().drop(key)
    except redis.RedisError:
        logger.warning("a held roster file could not be dropped now; it expires by itself")
