"""The booking rush through the running app: signed-in parents book over Reflex's websocket protocol.

Everything, with the servers started by the bench (production builds in test-artifacts/, about a minute
each; a PostgreSQL database and a Redis database of your own, which the bench migrates and flushes):

    make setup
    createdb -h 127.0.0.1 -U postgres ogp_rush
    .venv/bin/python bench/booking_rush_ws.py --start \\
        --database-url postgresql://postgres@127.0.0.1:5432/ogp_rush --redis-url redis://127.0.0.1:6379/12

It starts the minimal Reflex app of bench/noop_app and OGP (memory state, one worker) side by side and
runs, each phase on a bench school of its own (bench/rush_school.py: about one family in four has two
children, in different classes; each parent books every child):

1. ``noop``: --ratio-parents pages each send --noop-taps no-op events without a pause (before and after 2);
2. ``closed``: --ratio-parents parents, /book open, book all their children without a pause (``pick``,
   then ``choose`` until one is won); 1 and 2 give the framework ratio: OGP's backend CPU per rush event
   over the no-op app's (both read from /proc of the worker processes, with the same client code);
   the floor beside it: the no-op app answering each event with a delta of /book's size and shape
   (``grid``: 55 slot dicts and a notice), plus the booking service's own CPU per rush event in this
   process without Reflex (bench/rush_floor.py): ``floor_ratio`` = (that event + that service call)
   over the no-op event, the ratio no page state could go below;
3. ``open-loop``: --parents parents arrive over --arrive-over seconds (a Poisson process: arrival times
   drawn uniformly), each opens /book as a browser does (the hydrate event in the connect packet, then
   the page's on_load handlers), pauses --pause seconds (uniform) before every tap, books every child
   and leaves.

Then OGP again with Redis state on one worker (2 and 3: the Redis cost is its CPU per open-loop event over
the memory run's; ``redis_cost_rush_events`` the same for the closed loop's pick/choose events) and on
two workers (3; the CPU is the sum of both workers). The page opens of 1 and 2 are measured apart (CPU
per page open of either app). Before each phase the bench waits (--mail-wait) until the booking
confirmations of the earlier phases have been sent, so their mail does not compete with the phase. Every
mode ends with a line ``mode=... workers=... state=... parents=... events=... errors=... lost=...
doubles=... p50_ms=... p95_ms=... cpu_ms_per_event=...``; the last line is ``framework_ratio=R
floor_ratio=F redis_cost=Q redis_cost_rush_events=Q2``.

One mode against an app you started (as tests/support/server.py does, with the websocket budgets of
bench/rush_servers.py lifted: every bench parent connects from 127.0.0.1):

    OGP_ENV=development OGP_DATABASE_URL=... OGP_SECRET_KEY=... OGP_PUBLIC_BASE_URL=http://localhost:3000 \\
      OGP_WEBSOCKET_ADDRESS_EVENT_BURST=100000 OGP_WEBSOCKET_ADDRESS_EVENTS_PER_SECOND=100000 ... \\
      GRANIAN_WORKERS=1 .venv/bin/reflex run --env prod --single-port --frontend-port 3000 \\
      --backend-host 127.0.0.1
    .venv/bin/python bench/booking_rush_ws.py --url http://localhost:3000 --database-url ... \\
        [--open-loop] --backend-pid WORKER [--backend-pid WORKER2] [--web-dir .web]

Latency is per event, from sending it to the message that answers it (the page's ``access`` for a page
load, ``slots``/``notice`` for ``pick``, ``notice`` for ``choose``). An error is an event without an answer
in time, a lost connection, a refusal, or a meeting still unbooked at the end; a lost race is a ``choose``
answered "just taken". Double bookings are counted by SQL afterwards. CPU per event: the backend workers'
CPU over the phase (connects and disconnects of the open loop included) divided by the events the parents
sent; the database's is every local PostgreSQL process's (other users of the machine included); the
client's is this process's, with its event loop's lag beside it (a late loop would make latencies look
worse than the server's). The steal is the share of the machine's CPU time its host took.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default="http://localhost:3000", help="the running app (without --start)")
    parser.add_argument("--database-url", default=os.environ.get("OGP_DATABASE_URL", ""))
    parser.add_argument("--parents", type=int, default=0, help="default: 1000 open loop, 200 closed loop")
    parser.add_argument("--class-size", type=int, default=28)
    parser.add_argument("--choice", type=int, default=4, help="parents pick among the first N free times")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer")
    parser.add_argument("--open-loop", action="store_true", help="parents arrive over time (see above)")
    parser.add_argument("--arrive-over", type=float, default=60.0, help="open loop: arrivals within S s")
    parser.add_argument(
        "--pause", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"), help="open loop"
    )
    parser.add_argument(
        "--opening-burst", action="store_true", help="closed loop: time every countdown reaching zero first"
    )
    parser.add_argument(
        "--opening", type=int, default=8, help="closed loop: parents opening /book at a time before the rush"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="closed loop: a pause of 0.5-1.5 times this before each tap (not timed); none by default",
    )
    parser.add_argument(
        "--backend-pid", type=int, action="append", default=[], help="a backend worker of the app (repeat)"
    )
    parser.add_argument("--state", default="memory", help="the running app's state store, for the line")
    parser.add_argument("--web-dir", type=Path, help="the running app's web folder (boot hashes)")
    parser.add_argument("--start", action="store_true", help="start the servers and run every mode")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12", help="with --start; flushed")
    parser.add_argument("--ratio-parents", type=int, default=300, help="with --start: the closed loops")
    parser.add_argument("--noop-taps", type=int, default=10, help="with --start: no-op events per page")
    parser.add_argument(
        "--mail-wait", type=float, default=600.0, help="at most S s for an earlier phase's mail to be sent"
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or OGP_DATABASE_URL) must name the database the app uses")
    if not args.parents:
        args.parents = 1000 if args.open_loop or args.start else 200
    return args


ARGS = _args()
os.environ["OGP_DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("OGP_ENV", "development")

from async_reflex import AsyncPage, PageClosed  # noqa: E402  (bench/ comes first on sys.path)
from book_page import BOOK, book_vars  # noqa: E402
from cpu_meter import database_cpu, machine_times, named_cpu, process_cpu  # noqa: E402
from rush_school import scoped, seed  # noqa: E402
from sqlalchemy import text  # noqa: E402

import ogp_app.models  # noqa: E402,F401
from ogp_app.core.db import get_engine  # noqa: E402
from ogp_app.core.settings import get_settings  # noqa: E402
from ogp_app.services.auth.sessions import create_session  # noqa: E402
from tests.support.rounds import booking_counts  # noqa: E402

BOOT = "reflex___state____state.hydrate_and_load"
NOOP = "reflex___state____state.noop_app___noop_app____noop_state"  # bench/noop_app's NoopState
BOOK_ROUTER = {"pathname": "/book", "asPath": "/book", "query": {}}
NOOP_ROUTER = {"pathname": "/", "asPath": "/", "query": {}}


@dataclass
class Tally:
    """What a phase's pages saw: answer times per handler, events sent, errors, lost races."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    events: int = 0
    errors: int = 0
    lost: int = 0
    booked: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, what: str, exc: Exception) -> None:
        self.errors += 1
        self.failures.append(f"{what}: {exc}")

    def all_latencies(self) -> list[float]:
        return sorted(x for values in self.latencies.values() for x in values)


class Page:
    """One browser tab: its websocket, and every event it sends timed into the phase's tally."""

    def __init__(self, url: str, tally: Tally, cookie: str | None, hashes: list[str]) -> None:
        self.socket = AsyncPage(url, cookie=cookie, origin=url)
        self.tally = tally
        self.hashes = hashes

    async def open(self, router: dict[str, Any], state: str, until: Callable[[dict[str, Any]], bool]) -> Any:
        """Connect with the boot event in the connect packet, as the browser does; timed as ``open``."""
        boot = {
            "name": BOOT,
            "payload": {"hashes": self.hashes} if self.hashes else {},
            "router_data": router,
        }
        t0 = time.perf_counter()
        self.tally.events += 1
        await self.socket.connect(ARGS.timeout, boot=boot)
        return await self._answer("open", t0, state, until)

    async def event(
        self, state: str, handler: str, payload: dict[str, Any], router: dict[str, Any], answer: set[str]
    ) -> dict[str, Any]:
        """Send one event; wait for the message that carries one of the ``answer`` vars. Timed."""
        t0 = time.perf_counter()
        self.tally.events += 1
        await self.socket.send(f"{state}.{handler}", payload, router)
        return await self._answer(handler, t0, state, lambda seen: bool(answer & seen.keys()))

    async def _answer(
        self, handler: str, t0: float, state: str, until: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        deadline = time.monotonic() + ARGS.timeout
        while True:  # at least one message: the answer
            seen.update(state_vars(await self.socket.receive(deadline - time.monotonic()), state))
            if until(seen):
                break
        self.tally.latencies.setdefault(handler, []).append(time.perf_counter() - t0)
        return seen

    async def close(self) -> None:
        await self.socket.close()


def state_vars(message: dict[str, Any], state: str) -> dict[str, Any]:
    """One state's vars in one server message, without Reflex's ``_rx_state_`` suffix."""
    if state == BOOK:
        return book_vars(message)
    values = (message.get("delta") or {}).get(state) or {}
    return {k.removesuffix("_rx_state_"): v for k, v in values.items()}


class Parent(Page):
    """A parent on /book: opens the page, books each child's meeting, retrying on "just taken"."""

    def __init__(
        self,
        target: Target,
        tally: Tally,
        cookie: str,
        rng: random.Random,
        pause: Callable[[random.Random], float],
    ) -> None:
        super().__init__(target.url, tally, cookie, target.hashes)
        self.rng, self.pause = rng, pause
        self.meetings: list[dict[str, Any]] = []

    async def load(self) -> None:
        state = await self.open(BOOK_ROUTER, BOOK, lambda seen: bool(seen.get("access")))
        if state.get("access") != "granted":
            raise PageClosed(f"/book refused this parent: access={state.get('access')!r}")
        self.meetings = list(state.get("meetings") or [])

    async def book_event(self, handler: str, payload: dict[str, Any], answer: set[str]) -> dict[str, Any]:
        return await self.event(BOOK, handler, payload, BOOK_ROUTER, answer)

    async def think(self) -> None:
        """A person reads the page before the next tap (not timed)."""
        if (seconds := self.pause(self.rng)) > 0:
            await asyncio.sleep(seconds)

    async def rush(self) -> None:
        """Book every open meeting; the page renews its meeting keys after each booking."""
        done: set[tuple[Any, Any]] = set()
        while True:
            todo = [
                m
                for m in self.meetings
                if not m.get("booked") and m.get("open") and (m.get("child"), m.get("teacher")) not in done
            ]
            if not todo:
                return
            meeting = todo[0]
            done.add((meeting.get("child"), meeting.get("teacher")))
            await self.think()
            shown = await self.book_event("pick", {"key": meeting["key"]}, {"slots", "notice"})
            await self._choose(list(shown.get("slots") or []))

    async def _choose(self, slots: list[dict[str, Any]]) -> None:
        for _attempt in range(50):
            if not slots:
                self.tally.errors += 1  # nothing left to book (or the page refused): the meeting stays open
                return
            preferred = [s for s in slots if s.get("suggested")] or slots
            slot = self.rng.choice(preferred[: ARGS.choice])
            await self.think()
            shown = await self.book_event("choose", {"slot_key": slot["key"]}, {"notice"})
            if (shown.get("notice") or {}).get("kind") == "ok":
                self.tally.booked += 1
                self.meetings = list(shown.get("meetings") or self.meetings)
                return
            self.tally.lost += 1  # "just taken": the answer carries the refreshed grid
            slots = shown.get("slots", [s for s in slots if s is not slot])
        self.tally.errors += 1


# -- measuring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cpu:
    """CPU seconds over a phase: the backend workers, PostgreSQL, Redis, this client, the machine, stolen."""

    backend: float
    database: float
    redis: float
    client: float
    machine: float
    stolen: float


class Meter:
    def __init__(self, workers: Sequence[int]) -> None:
        self.workers = list(workers)
        self.started = self._now()
        self.t0 = time.perf_counter()

    def _now(self) -> tuple[float, ...]:
        backend = sum(process_cpu(pid) for pid in self.workers)
        return (backend, database_cpu(), named_cpu("redis-server"), time.process_time(), *machine_times())

    def stop(self) -> tuple[Cpu, float]:
        gone = [pid for pid in self.workers if not Path(f"/proc/{pid}").exists()]
        if gone:
            print(f"warning: backend worker(s) {gone} gone during the phase: their CPU is not counted")
        cpu = Cpu(*(b - a for a, b in zip(self.started, self._now(), strict=True)))
        return cpu, time.perf_counter() - self.t0


class LoopLag:
    """How late this process's event loop wakes a 50 ms sleep: a busy client shows here first."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lags.append(time.perf_counter() - t0 - 0.05)

    def stop(self) -> str:
        self.task.cancel()
        lags = sorted(self.lags)
        return f"client loop lag p99_ms={_pct(lags, 0.99):.1f} max_ms={1000 * max(lags, default=0):.1f}"


@dataclass
class Result:
    mode: str
    workers: int
    state: str
    parents: int
    tally: Tally
    cpu: Cpu
    seconds: float
    doubles: int = 0
    open_ms: float = 0.0  # backend CPU per page open, measured apart (noop, closed)

    @property
    def cpu_ms_per_event(self) -> float:
        return 1000 * self.cpu.backend / max(self.tally.events, 1)

    def report(self) -> None:
        for failure in self.tally.failures[:5]:
            print(f"error: {failure}")
        for handler, values in sorted(self.tally.latencies.items()):
            values = sorted(values)
            print(
                f"  {handler}: {len(values)} p50_ms={_pct(values, 0.5):.1f} p95_ms={_pct(values, 0.95):.1f}"
            )
        n, cpu = max(self.tally.events, 1), self.cpu
        print(
            f"  CPU per event: backend {self.cpu_ms_per_event:.2f} ms, database {1000 * cpu.database / n:.2f}"
            f" ms, redis {1000 * cpu.redis / n:.2f} ms, this client {1000 * cpu.client / n:.2f} ms"
            f" ({100 * cpu.client / self.seconds:.0f}% of a core over {self.seconds:.0f} s);"
            f" steal {100 * cpu.stolen / max(cpu.machine, 1e-9):.0f}%; load average now"
            f" {Path('/proc/loadavg').read_text().split()[0]} on {os.cpu_count()} CPUs"
        )
        latencies = self.tally.all_latencies()
        print(
            f"mode={self.mode} workers={self.workers} state={self.state} parents={self.parents}"
            f" events={self.tally.events} errors={self.tally.errors} lost={self.tally.lost}"
            f" doubles={self.doubles} p50_ms={_pct(latencies, 0.5):.1f} p95_ms={_pct(latencies, 0.95):.1f}"
            f" cpu_ms_per_event={self.cpu_ms_per_event:.2f}",
            flush=True,
        )


def _pct(values: list[float], q: float) -> float:
    return values[int(q * (len(values) - 1))] * 1000 if values else 0.0


# -- the phases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The app a phase runs against: its address, backend workers, state store and boot hashes."""

    url: str
    workers: list[int]
    state: str
    hashes: list[str]


def think(rng: random.Random) -> float:
    """The closed loop's pause before a tap: none by default (--think)."""
    return ARGS.think * rng.uniform(0.5, 1.5)


def pause(rng: random.Random) -> float:
    """The open loop's pause before a tap (--pause)."""
    return rng.uniform(*ARGS.pause)


async def noop_phase(target: Target, pages: int, taps: int, handler: str = "tap") -> Result:
    """``pages`` tabs of the no-op app, opened (measured apart), each sending ``taps`` events without a
    pause (``grid``: each answered with a delta like a /book pick's)."""
    tally = Tally()
    opened = [Page(target.url, tally, None, target.hashes) for _ in range(pages)]
    meter = Meter(target.workers)
    await _gather(tally, "open", [p.open(NOOP_ROUTER, NOOP, lambda _seen: True) for p in opened])
    open_ms = _per_open(meter, pages)

    async def tapping(page: Page) -> None:
        for i in range(taps):
            await page.event(NOOP, handler, {"key": f"k{i}"}, NOOP_ROUTER, {"taps"})

    tally.events, tally.latencies = 0, {}
    meter = Meter(target.workers)
    await _gather(tally, "tap", [tapping(p) for p in opened])
    cpu, seconds = meter.stop()
    await asyncio.gather(*(p.close() for p in opened))
    mode = "noop" if handler == "tap" else f"noop-{handler}"
    return Result(mode, len(target.workers), target.state, pages, tally, cpu, seconds, open_ms=open_ms)


async def closed_phase(target: Target, parents: int) -> Result:
    """Every parent opens /book (measured apart); then all book at once, without a pause (--think)."""
    round_id, cookies = sign_in_school(parents)
    tally = Tally()
    crowd = [Parent(target, tally, c, random.Random(i), think) for i, c in enumerate(cookies)]
    opening = asyncio.Semaphore(ARGS.opening)

    async def load(parent: Parent) -> None:
        async with opening:
            await parent.load()

    meter = Meter(target.workers)
    await _gather(tally, "load", [load(p) for p in crowd])
    open_ms = _per_open(meter, parents)
    if ARGS.opening_burst:
        burst = Tally()
        for parent in crowd:
            parent.tally = burst
        await _gather(burst, "opening", [p.book_event("window_opened", {}, {"meetings"}) for p in crowd])
        times = burst.all_latencies()
        print(f"opening: {len(times)} pages p50_ms={_pct(times, 0.5):.1f} p95_ms={_pct(times, 0.95):.1f}")
        for parent in crowd:
            parent.tally = tally
    tally.events, tally.latencies = 0, {}
    meter = Meter(target.workers)
    await _gather(tally, "rush", [p.rush() for p in crowd if p.meetings])
    cpu, seconds = meter.stop()  # before the pages close: a rush event's CPU, not a disconnect's
    await asyncio.gather(*(p.close() for p in crowd))
    result = Result(
        "closed", len(target.workers), target.state, parents, tally, cpu, seconds, open_ms=open_ms
    )
    return _count_bookings(result, round_id)


async def open_loop_phase(target: Target, parents: int) -> Result:
    """Parents arrive over --arrive-over seconds, open /book, book every child with pauses, and leave."""
    round_id, cookies = sign_in_school(parents)
    tally = Tally()
    arriving = random.Random(1)
    arrivals = sorted(arriving.uniform(0, ARGS.arrive_over) for _ in cookies)
    crowd = [Parent(target, tally, c, random.Random(i), pause) for i, c in enumerate(cookies)]
    lag, meter = LoopLag(), Meter(target.workers)

    async def visit(parent: Parent, at: float) -> None:
        await asyncio.sleep(at - (time.perf_counter() - meter.t0))
        try:
            await parent.load()
            await parent.rush()
        finally:
            await parent.close()

    await _gather(tally, "visit", [visit(p, at) for p, at in zip(crowd, arrivals, strict=True)])
    cpu, seconds = meter.stop()
    print(f"  {lag.stop()}")
    result = Result("open-loop", len(target.workers), target.state, parents, tally, cpu, seconds)
    return _count_bookings(result, round_id)


def _per_open(meter: Meter, pages: int) -> float:
    """Backend CPU per page open (connect, boot event, on_load handlers), apart from the phase's events."""
    cpu, _seconds = meter.stop()
    open_ms = 1000 * cpu.backend / max(pages, 1)
    print(f"  {pages} pages opened (not in the figures below): backend CPU per page open {open_ms:.1f} ms")
    return open_ms


async def _gather(tally: Tally, what: str, work: list[Any]) -> None:
    """Run every page's coroutine; a page's failure is an error of the phase, not of the bench."""

    async def guarded(coroutine: Any) -> None:
        try:
            await coroutine
        except (PageClosed, OSError) as exc:
            tally.fail(what, exc)

    await asyncio.gather(*(guarded(c) for c in work))


def _count_bookings(result: Result, round_id: int) -> Result:
    booked, result.doubles = booking_counts(round_id)
    print(
        f"  {result.tally.booked} booked through the app ({booked} in the database, {result.doubles} double"
        f" bookings), {result.tally.lost} lost races, in {result.seconds:.1f} s"
    )
    return result


# -- the database -------------------------------------------------------------------------------------


def sign_in_school(families: int) -> tuple[int, list[str]]:
    """A bench school of its own with an open round, and a server-side session per parent (as the tests
    sign a browser in); returns the round and the parents' Cookie headers."""
    waited = wait_for_mail_to_settle(ARGS.mail_wait)
    t0 = time.perf_counter()
    round_id, admin, family_list = seed(get_engine(), families, ARGS.class_size)
    name = get_settings().session_cookie_name
    with scoped(get_engine(), None) as db:
        tokens = [
            create_session(db, user_id=actor.user_id, school_id=admin.school_id) for actor, _ in family_list
        ]
        db.commit()
    print(
        f"  waited {waited:.0f} s for earlier mail; seeded and signed in {families} parents"
        f" ({sum(len(p) for _, p in family_list)} children) in {time.perf_counter() - t0:.1f} s"
    )
    return round_id, [f"{name}={token}" for token in tokens]


def wait_for_mail_to_settle(limit: float) -> float:
    """Seconds waited (at most ``limit``) until no confirmation is left to render and no mail is due: an
    earlier run's confirmations, still being sent, would otherwise run during this rush."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        with get_engine().connect() as conn:
            left = conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM booking WHERE confirmation_pending)"
                    " + (SELECT count(*) FROM outbox_message WHERE status = 'pending'"
                    " AND next_attempt_at <= CURRENT_TIMESTAMP)"
                )
            ).scalar_one()
        if not left:
            break
        time.sleep(1.0)
    return time.perf_counter() - t0


# -- running ------------------------------------------------------------------------------------------


def machine_line(when: str) -> str:
    load = Path("/proc/loadavg").read_text().split()[:3]
    return f"machine {when}: load average {' '.join(load)} on {os.cpu_count()} CPUs"


def run_one() -> None:
    """One mode against an app that is already running (--url, --backend-pid)."""
    from rush_servers import initial_hashes

    hashes = initial_hashes(ARGS.web_dir) if ARGS.web_dir else []
    target = Target(ARGS.url, ARGS.backend_pid, ARGS.state, hashes)
    phase = open_loop_phase if ARGS.open_loop else closed_phase
    asyncio.run(phase(target, ARGS.parents)).report()


def run_all() -> None:
    """--start: the no-op app and OGP's three set-ups, every mode, the two ratios (see the docstring)."""
    from rush_servers import Server, flush_redis, start_noop, start_ogp

    subprocess.run([str(ROOT / ".venv/bin/ogp"), "db", "upgrade"], check=True, capture_output=True)
    results: dict[str, Result] = {}

    def phase(label: str, server: Server, state: str, run: Callable[[Target], Any]) -> Result:
        print(f"{label} on {server.label} ({server.url}, workers {server.workers}):", flush=True)
        target = Target(server.url, server.workers, state, server.initial_hashes())
        result: Result = asyncio.run(run(target))
        result.report()
        return result

    def noop(target: Target) -> Any:
        return noop_phase(target, ARGS.ratio_parents, ARGS.noop_taps)

    def noop_grid(target: Target) -> Any:
        return noop_phase(target, ARGS.ratio_parents, ARGS.noop_taps, "grid")

    def closed(target: Target) -> Any:
        return closed_phase(target, ARGS.ratio_parents)

    def open_loop(target: Target) -> Any:
        return open_loop_phase(target, ARGS.parents)

    started: list[Server] = []
    try:
        started.append(noop_server := start_noop())
        started.append(ours := start_ogp(database_url=ARGS.database_url, redis_url=None, workers=1))
        results["noop"] = phase("noop", noop_server, "memory", noop)
        results["closed"] = phase("closed", ours, "memory", closed)
        results["noop2"] = phase("noop again", noop_server, "memory", noop)
        results["grid"] = phase("noop with a /book-sized delta", noop_server, "memory", noop_grid)
        service_ms = booking_service_floor()
        results["open"] = phase("open-loop", ours, "memory", open_loop)
        for server in (started.pop(), started.pop()):
            server.stop()
        for workers in (1, 2):
            flush_redis(ARGS.redis_url)
            started.append(
                ours := start_ogp(database_url=ARGS.database_url, redis_url=ARGS.redis_url, workers=workers)
            )
            if workers == 1:
                results["closed-redis"] = phase("closed", ours, "redis", closed)
            results[f"open-redis{workers}"] = phase("open-loop", ours, "redis", open_loop)
            started.pop().stop()
    finally:
        for server in started:
            server.stop()
        flush_redis(ARGS.redis_url)

    noop_ms = (results["noop"].cpu_ms_per_event + results["noop2"].cpu_ms_per_event) / 2
    book_ms = results["closed"].cpu_ms_per_event
    print(f"framework: /book rush event {book_ms:.2f} ms backend CPU, no-op event {noop_ms:.2f} ms")
    noop_open = (results["noop"].open_ms + results["noop2"].open_ms) / 2
    print(
        f"page open: /book {results['closed'].open_ms:.1f} ms backend CPU, the no-op app's page"
        f" {noop_open:.1f} ms (ratio {results['closed'].open_ms / max(noop_open, 1e-9):.1f})"
    )
    redis_closed = results["closed-redis"].cpu_ms_per_event / max(book_ms, 1e-9)
    print(f"redis cost in the closed loop (pick/choose only): {redis_closed:.2f}")
    redis_cost = results["open-redis1"].cpu_ms_per_event / max(results["open"].cpu_ms_per_event, 1e-9)
    floor_ms = results["grid"].cpu_ms_per_event + service_ms
    print(
        f"floor: no-op event with a /book-sized delta {results['grid'].cpu_ms_per_event:.2f} ms"
        f" + booking service {service_ms:.2f} ms = {floor_ms:.2f} ms per event"
    )
    print(
        f"framework_ratio={book_ms / max(noop_ms, 1e-9):.2f} floor_ratio={floor_ms / max(noop_ms, 1e-9):.2f}"
        f" redis_cost={redis_cost:.2f} redis_cost_rush_events={redis_closed:.2f}"
    )


def booking_service_floor() -> float:
    """The booking service's CPU per rush event in this process, without Reflex (bench/rush_floor.py)."""
    from rush_floor import service_cpu_per_event

    wait_for_mail_to_settle(ARGS.mail_wait)
    ms, events, lost = service_cpu_per_event(ARGS.ratio_parents, ARGS.class_size, ARGS.choice)
    print(f"booking service alone: {events} events ({lost} lost races), CPU per event {ms:.2f} ms")
    return ms


def main() -> None:
    print(machine_line("at start"))
    steal0 = machine_times()
    try:
        run_all() if ARGS.start else run_one()
    finally:
        machine, stolen = (b - a for a, b in zip(steal0, machine_times(), strict=True))
        print(f"{machine_line('at end')}; steal over the run {100 * stolen / max(machine, 1e-9):.0f}%")


if __name__ == "__main__":
    main()
