"""The operator's metrics (Prometheus): what the app counts, and the text a scrape returns.

Every label value comes from the code: a handler's state class and method, an outcome, a limiter's
kind. Never a name, an address, an id or anything a request sent (a label per value would also grow
the series without bound).

With several processes (granian's backend workers, each backend's jobs child) the operator sets
``PROMETHEUS_MULTIPROC_DIR`` before the processes start: prometheus-client then keeps each process's
values in a file of that directory, and a scrape on any worker adds them up. Without it each process
counts in its own memory and a scrape sees the process that answered it.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
logger = logging.getLogger(__name__)


def _ensure_multiprocess_dir() -> None:
    """prometheus-client picks its mode when it is imported, and then fails on every count when the
    directory is missing (e.g. ``ogp import-roster`` run while the service, whose runtime directory it
    is, is stopped). Make the directory; when that is not allowed, count in memory in this process."""
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return
    try:
        os.makedirs(path, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError("not writable")
    except OSError as exc:
        logger.warning("metrics: %s=%s is unusable (%s); this process counts alone", MULTIPROC_ENV, path, exc)
        del os.environ[MULTIPROC_ENV]


_ensure_multiprocess_dir()

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest  # noqa: E402
from prometheus_client.multiprocess import MultiProcessCollector  # noqa: E402
from prometheus_client.registry import Collector  # noqa: E402

# Seconds. Finer around 0.1-0.5 s: the /book goal is a p95 of 250 ms.
EVENT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
IMPORT_BUCKETS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

PAGE_EVENT_SECONDS = Histogram(
    "ogp_page_event_seconds",
    "Time from the start of a page event (a Reflex event) to its end, state lock included, by handler.",
    ["handler"],
    buckets=EVENT_BUCKETS,
)
PAGE_EVENT_ERRORS = Counter(
    "ogp_page_event_errors", "Page events whose handler raised (the page showed an error).", ["handler"]
)
BOOKINGS = Counter("ogp_bookings", "Bookings made: new, or moved to another slot.", ["kind"])
BOOKING_RACES_LOST = Counter(
    "ogp_booking_races_lost",
    "Bookings refused by the database's unique index because another booking got there first: "
    "slot_taken (the parent saw 'just taken') or pupil_booked (the child already has this teacher).",
    ["rule"],
)
ROSTER_IMPORT_SECONDS = Histogram(
    "ogp_roster_import_seconds",
    "Duration of a roster import (read, check, plan, write), by outcome.",
    ["outcome"],
    buckets=IMPORT_BUCKETS,
)
ROSTER_ROWS_IMPORTED = Counter("ogp_roster_rows_imported", "File rows written by roster imports.")
LIMIT_REFUSALS = Counter(
    "ogp_limit_refusals",
    "Requests refused by a limit: limiter websocket (flood guard), upload (upload guard) or throttle "
    "(log-in and mail throttles); kind names the limit.",
    ["limiter", "kind"],
)
MAIL_DELIVERIES = Counter(
    "ogp_mail_deliveries",
    "Outbox delivery attempts: sent, retrying (failed, tried again later) or failed (gave up).",
    ["outcome"],
)

_THROTTLE_SCOPE = re.compile(r"[a-z0-9_]+(?::[a-z0-9_]+)?")


def count_refusal(limiter: str, kind: str) -> None:
    LIMIT_REFUSALS.labels(limiter, kind).inc()


def throttle_kind(key: str) -> str:
    """The scope of a throttle key (``login:ip`` of ``login:ip:<hmac>``): fixed in the code, never the
    subject (the hash of an address); anything else counts as ``other``."""
    scope = key.rpartition(":")[0]
    return scope if _THROTTLE_SCOPE.fullmatch(scope) else "other"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def exposition(extra: Iterable[Collector] = ()) -> bytes:
    """The text a scrape returns: this process's metrics, or every process's summed (multiprocess
    mode), followed by ``extra`` collectors (values read at scrape time, e.g. from the database)."""
    path = multiprocess_dir()
    if path:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=path)
    else:
        registry = REGISTRY
    return generate_latest(registry) + b"".join(generate_latest(collector) for collector in extra)
