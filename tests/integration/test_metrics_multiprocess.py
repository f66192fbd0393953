"""Several processes, one scrape: with PROMETHEUS_MULTIPROC_DIR each process (backend worker, jobs child)
writes its own file and a scrape on any of them returns the sum."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ogp_app.core.settings import PROJECT_ROOT
from tests.support.metrics import TOKEN, metrics_settings, scrape, value

WRITER = """
import sys
from ogp_app.core.metrics import BOOKINGS, PAGE_EVENT_SECONDS, count_refusal
bookings, seconds = int(sys.argv[1]), float(sys.argv[2])
BOOKINGS.labels("new").inc(bookings)
PAGE_EVENT_SECONDS.labels("BookState.book_slot").observe(seconds)
count_refusal("websocket", "address")
"""


def write_in_a_process(directory: Path, bookings: int, seconds: float) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    subprocess.run(
        [sys.executable, "-c", WRITER, str(bookings), str(seconds)], cwd=PROJECT_ROOT, env=env, check=True
    )


def test_one_scrape_sees_the_sum_of_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_in_a_process(tmp_path, 3, 0.12)
    write_in_a_process(tmp_path, 4, 0.4)
    assert len(list(tmp_path.glob("*.db"))) >= 2  # a file per process
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        text = scrape()
    assert value(text, "ogp_bookings_total", kind="new") == 7
    book = {"handler": "BookState.book_slot"}
    assert value(text, "ogp_page_event_seconds_count", **book) == 2
    assert value(text, "ogp_page_event_seconds_sum", **book) == pytest.approx(0.52)
    assert value(text, "ogp_page_event_seconds_bucket", le="0.15", **book) == 1
    assert value(text, "ogp_page_event_seconds_bucket", le="0.5", **book) == 2
    assert value(text, "ogp_limit_refusals_total", limiter="websocket", kind="address") == 2
    assert value(text, "ogp_mail_queue_up") == 1  # the outbox is read at scrape time, once


def test_a_missing_directory_is_made_and_an_unusable_one_does_not_stop_the_work(tmp_path: Path) -> None:
    """E.g. ``ogp import-roster`` with the service's environment while the service is stopped."""
    missing = tmp_path / "not" / "yet"
    write_in_a_process(missing, 1, 0.1)
    assert list(missing.glob("*.db"))
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(a_file)}
    done = subprocess.run(
        [sys.executable, "-c", WRITER, "1", "0.1"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "is unusable" in done.stderr and "this process counts alone" in done.stderr
