"""An uploaded roster file between the upload and the import: process memory only, never disk.

The page keeps only a random key in its (pickled, possibly stored) state; the bytes stay here for at
most 30 minutes, for the person and school that uploaded them. With several backend workers a later
event may land on another worker: it then finds nothing and the page asks for the file again.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

TTL_SECONDS = 30 * 60
MAX_HELD = 50  # files held at once in this process; the oldest goes first


@dataclass(frozen=True)
class _Held:
    school_id: int
    user_id: int
    data: bytes
    expires: float


_HELD: dict[str, _Held] = {}
_LOCK = threading.Lock()


def _prune(now: float) -> None:
    for key in [k for k, v in _HELD.items() if v.expires < now]:
        del _HELD[key]
    while len(_HELD) >= MAX_HELD:
        del _HELD[min(_HELD, key=lambda k: _HELD[k].expires)]


def hold(*, school_id: int, user_id: int, data: bytes) -> str:
    now = time.monotonic()
    key = secrets.token_urlsafe(24)
    with _LOCK:
        _prune(now)
        _HELD[key] = _Held(school_id, user_id, data, now + TTL_SECONDS)
    return key


def held(key: str, *, school_id: int, user_id: int) -> bytes | None:
    """The file, only for the school and person who uploaded it and only while it is fresh."""
    with _LOCK:
        found = _HELD.get(key) if isinstance(key, str) else None
        if found is None or found.expires < time.monotonic():
            return None
        if found.school_id != school_id or found.user_id != user_id:
            return None
        return found.data


def release(key: str) -> None:
    with _LOCK:
        _HELD.pop(key, None)
