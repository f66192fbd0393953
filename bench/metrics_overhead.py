"""What timing every page event costs: ns per observed event, added by ``ogp_app.event_timing``'s wrapper
(the clock read twice, the handler's instruments looked up, one histogram observation).

The same no-op coroutine is awaited through the wrapper and without it; the difference per event is the
cost. Measured in a process of its own per mode, as prometheus-client picks its storage at import:
the in-memory registry (one backend process) and multiprocess mode (PROMETHEUS_MULTIPROC_DIR: each
value written to a memory-mapped file).

Run: .venv/bin/python bench/metrics_overhead.py [--events 200000 --rounds 7]
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Backend CPU per /book rush event measured in issue #23 (ms): what the overhead is compared with.
RUSH_EVENT_CPU_MS = (2.7, 4.6)


class BookState:
    """Stands in for the /book page's state: only its name is read, for the label."""


async def book_slot_entry(_processor: object, *, entry: object, registered_handler: object) -> None:
    """The processor's per-event method with nothing to do: what is left is the wrapper's own cost."""


def measure(events: int, rounds: int) -> tuple[float, float]:
    """(ns per event without the wrapper, with it): the best of ``rounds``."""
    from ogp_app.event_timing import timed

    wrapped = timed(book_slot_entry)
    entry = SimpleNamespace(event=SimpleNamespace(name="ogp_app___pages___family___book.book_slot"))
    handler = SimpleNamespace(states=(BookState,), handler=SimpleNamespace(fn=book_slot_entry))

    async def run(method) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter_ns()
        for _ in range(events):
            await method(None, entry=entry, registered_handler=handler)
        return (time.perf_counter_ns() - started) / events

    async def best() -> tuple[float, float]:
        raw, timed_ns = [], []
        for _ in range(rounds):
            raw.append(await run(book_slot_entry))
            timed_ns.append(await run(wrapped))
        return min(raw), min(timed_ns)

    return asyncio.run(best())


def child(events: int, rounds: int) -> None:
    raw, timed_ns = measure(events, rounds)
    print(f"{raw:.0f} {timed_ns:.0f}")


def in_process(mode: str, events: int, rounds: int, multiproc_dir: str | None) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env.setdefault("OGP_ENV", "development")
    if multiproc_dir:
        env["PROMETHEUS_MULTIPROC_DIR"] = multiproc_dir
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--events", str(events), "--rounds", str(rounds)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.events, args.rounds)
        return
    python = sys.version.split()[0]
    print(f"page event timing, {args.events} events, best of {args.rounds} rounds (python {python})")
    with tempfile.TemporaryDirectory(prefix="ogp-metrics-bench-") as directory:
        for mode, path in (("single-process registry", None), ("multiprocess mode", directory)):
            raw, timed_ns = in_process(mode, args.events, args.rounds, path)
            overhead = timed_ns - raw
            low, high = (overhead / (ms * 1e6) * 100 for ms in RUSH_EVENT_CPU_MS)
            print(
                f"  {mode:24} {overhead:6.0f} ns per observed event "
                f"(await without {raw:.0f} ns, with {timed_ns:.0f} ns); "
                f"{high:.3f}-{low:.3f} % of a /book rush event's backend CPU ({RUSH_EVENT_CPU_MS[0]}-"
                f"{RUSH_EVENT_CPU_MS[1]} ms)"
            )


if __name__ == "__main__":
    main()
