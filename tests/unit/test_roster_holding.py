"""The uploaded file between the page's steps: only for its uploader, only while fresh."""

from __future__ import annotations

import pytest

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
