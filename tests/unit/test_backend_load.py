"""The jobs child holds mail rounds while the backend is busy (ogp_app/core/backend_load)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from ogp_app.core import backend_load
from ogp_app.core.backend_load import cpu_seconds, hold_while_busy
from ogp_app.core.settings import get_settings


def test_cpu_time_of_a_real_process_grows_while_it_works_and_a_gone_one_reads_as_none() -> None:
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\ntime.sleep(5)"
    worker = subprocess.Popen([sys.executable, "-c", spin])
    try:
        first = cpu_seconds(worker.pid)
        deadline = time.monotonic() + 10
        while (cpu_seconds(worker.pid) or 0) - (first or 0) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first is not None and (cpu_seconds(worker.pid) or 0) - first >= 0.3
    finally:
        worker.kill()
        worker.wait()
    assert cpu_seconds(worker.pid) is None


def _backend_using(per_sample: list[float], monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backend uses per_sample[i] CPU seconds in sample i (then nothing); returns the readings made."""
    monkeypatch.setattr(backend_load, "SAMPLE_SECONDS", 0.01)
    total, readings = 0.0, []

    def clock() -> Iterator[float]:
        nonlocal total
        for used in per_sample:
            yield total
            total += used * 0.01 / 0.5  # scaled to the shortened sample
            yield total
        while True:
            yield total

    ticks = clock()

    def read(_pid: int) -> float:
        readings.append(next(ticks))
        return readings[-1]

    monkeypatch.setattr(backend_load, "cpu_seconds", read)
    return readings


def test_a_round_waits_while_the_backend_is_busy_and_goes_once_it_is_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy = get_settings().background_busy_cpu_share * 0.5 * 1.6  # CPU s per half second, above the share
    readings = _backend_using([busy, busy, busy, 0.01], monkeypatch)
    asyncio.run(hold_while_busy(1234, max_hold=30))
    assert len(readings) == 8  # three busy samples held it, the fourth (quiet) let it go


def test_a_quiet_backend_holds_nothing_and_an_unreadable_one_neither(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = _backend_using([0.01], monkeypatch)
    asyncio.run(hold_while_busy(1234))
    assert len(readings) == 2
    monkeypatch.setattr(backend_load, "cpu_seconds", lambda _pid: None)
    assert asyncio.run(hold_while_busy(1234)) < 1


def test_a_rush_that_lasts_holds_mail_for_at_most_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    _backend_using([0.45] * 100_000, monkeypatch)
    held = asyncio.run(hold_while_busy(1234, max_hold=0.3))
    assert 0.3 <= held < 1.0
