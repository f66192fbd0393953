"""The adapter's own pieces: the notice names the limit in both languages; refusals are logged sparingly."""

from __future__ import annotations

import logging

import pytest

from ogp_app.core.settings import Settings
from ogp_app.core.websocket_limits import Refusal
from ogp_app.websocket_guard import _RefusalLog, limits_from, notice_text, wire_size

LIMITS = limits_from(Settings(env="development"))


@pytest.mark.parametrize(
    ("refusal", "nl", "en"),
    [
        (
            Refusal.CONNECTION_RATE,
            "meer dan 60 achter elkaar, of meer dan 10 per seconde",
            "more than 10 a second",
        ),
        (Refusal.SESSION_RATE, "meer dan 120 achter elkaar", "more than 20 a second"),
        (Refusal.ADDRESS_RATE, "internetadres", "more than 600 in a row"),
        (Refusal.TOO_MANY_PENDING, "meer dan 20", "more than 20"),
        (Refusal.TOO_LARGE, "de grens is 256 kB", "the limit is 256 kB"),
    ],
)
def test_the_notice_names_the_limit(refusal: Refusal, nl: str, en: str) -> None:
    assert nl in notice_text(refusal, LIMITS, "nl", size=300_000)
    assert en in notice_text(refusal, LIMITS, "en", size=300_000)


def test_wire_size_counts_bytes_and_survives_surrogates() -> None:
    assert wire_size({"a": "é"}) == len('{"a":"é"}'.encode())
    assert wire_size(["\ud800"]) == 7


def test_refusals_are_logged_once_a_minute_with_a_count(caplog: pytest.LogCaptureFixture) -> None:
    log = _RefusalLog()
    with caplog.at_level(logging.WARNING, logger="ogp_app.websocket_guard"):
        for _ in range(500):
            log.note("connect refused", Refusal.ADDRESS_RATE)
    assert len(caplog.records) == 1
