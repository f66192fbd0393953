"""The booking rush through the running app: N signed-in parents book over Reflex's websocket protocol.

Run (the app as production build, on the database the bench writes to):

    make setup
    export OGP_ENV=development OGP_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ogp_rush
    .venv/bin/ogp db upgrade
    # every bench parent connects from 127.0.0.1: lift the per-address websocket limit
    OGP_WEBSOCKET_ADDRESS_EVENT_BURST=100000 OGP_WEBSOCKET_ADDRESS_EVENTS_PER_SECOND=100000 \\
    OGP_SECRET_KEY="$(cat var/secret_key)" OGP_PUBLIC_BASE_URL=http://localhost:3000 \\
      PATH="$PWD/.tools/node_modules/.bin:$PWD/.venv/bin:$PATH" \\
      .venv/bin/reflex run --env prod --single-port --frontend-port 3000 --backend-host 127.0.0.1
    # in a second shell, once http://localhost:3000/api/health answers:
    export OGP_ENV=development OGP_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ogp_rush
    .venv/bin/python bench/booking_rush_ws.py --url http://localhost:3000 --parents 200

(``--database-url`` defaults to $OGP_DATABASE_URL; it must be the database the app uses.)

What it does: creates a bench school of --parents families (the same school the service-level rush
builds: bench/rush_school.py) with an open round, starts a server-side session for every parent (as the
tests sign a browser in: a session row and its cookie), connects one websocket client per parent
(tests/security/reflex_client.py, Reflex's Socket.IO event protocol, with the session cookie and the
app's own Origin), and loads /book (``BookState.load_page``; --opening at a time, as parents arrive before the
window opens; not timed). Then all parents are released at once:
each opens the free times of every meeting not yet booked (``BookState.pick``) and books one
(``BookState.choose``), retrying on "just taken" with the grid the server sent back.

With --opening-burst, before the rush every parent's countdown reaches zero at the same moment
(``BookState.window_opened``, as /book sends it when booking opens; the bench's round is open already, so
the handler does the same work) and that burst is timed on a line of its own.

Before it starts it waits (up to two minutes, not timed) until no booking confirmation is left to render
and no mail is due, so an earlier run's mail is not sent during this one.
Latency is per event, from sending it to the delta that answers it (``slots``/``notice`` for pick,
``notice`` for choose). An error is an event without an answer in time, a lost connection, a refusal, or
a meeting still unbooked at the end. Double bookings are counted by SQL afterwards. With --backend-pid
(the app's backend worker) the CPU per rush event of each side is printed too. With --think S each
parent pauses 0.5-1.5 S before each tap, as people do (the goal's measure has no pause). Last line:
parents=N events=E errors=X p50_ms=A p95_ms=B
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default="http://localhost:3000", help="the running app")
    parser.add_argument("--parents", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("OGP_DATABASE_URL", ""))
    parser.add_argument("--class-size", type=int, default=28)
    parser.add_argument("--choice", type=int, default=4, help="parents pick among the first N free times")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one answer")
    parser.add_argument(
        "--opening-burst", action="store_true", help="time every countdown reaching zero at once first"
    )
    parser.add_argument(
        "--opening", type=int, default=8, help="parents opening /book at the same time before the rush"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a parent looks at the page before each tap in the rush (0.5-1.5 times this; not timed)",
    )
    parser.add_argument(
        "--backend-pid", type=int, default=0, help="the app's backend process: its CPU per event is printed"
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or OGP_DATABASE_URL) must name the database the app uses")
    return args


ARGS = _args()
os.environ["OGP_DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("OGP_ENV", "development")

from book_page import BOOK, book_vars  # noqa: E402
from cpu_meter import database_cpu, machine_times, process_cpu  # noqa: E402  (bench/ comes first on sys.path)
from rush_school import scoped, seed  # noqa: E402
from sqlalchemy import text  # noqa: E402

import ogp_app.models  # noqa: E402,F401
from ogp_app.core.db import get_engine  # noqa: E402
from ogp_app.core.settings import get_settings  # noqa: E402
from ogp_app.services.auth.sessions import create_session  # noqa: E402
from tests.security.reflex_client import ReflexClient, ReflexProtocolError, _router_data  # noqa: E402

ROUTER = _router_data("/book")


class Parent:
    """One parent's browser: a websocket client on /book and what the page shows."""

    def __init__(self, cookie: str, rng: random.Random) -> None:
        self.client = ReflexClient(ARGS.url, cookie=cookie, origin=ARGS.url, timeout=ARGS.timeout)
        self.rng = rng
        self.meetings: list[dict[str, Any]] = []
        self.latencies: list[float] = []
        self.events = 0
        self.errors = 0
        self.booked = 0
        self.lost = 0

    def load(self) -> None:
        """Open /book as a browser does (hydrate, then the page's on_load handler)."""
        self.client.connect()
        result = self.client.call(f"{BOOK}.load_page", pathname="/book")
        self.events += 1
        state = book_vars({"delta": result.barrier_state or {}})
        if state.get("access") != "granted":
            raise ReflexProtocolError(f"/book refused this parent: access={state.get('access')!r}")
        self.meetings = list(state.get("meetings") or [])

    def event(self, handler: str, payload: dict[str, Any], answer: set[str]) -> dict[str, Any]:
        """Send one event; wait for the delta that carries one of the ``answer`` vars. Timed."""
        t0 = time.perf_counter()
        self.client.send_event(f"{BOOK}.{handler}", payload, router_data=ROUTER)
        self.events += 1
        seen: dict[str, Any] = {}
        deadline = time.monotonic() + ARGS.timeout
        while not answer & seen.keys():
            received = self.client._next_received(deadline - time.monotonic())
            if received is None:
                raise ReflexProtocolError(f"no answer to {handler} within {ARGS.timeout} s")
            seen.update(book_vars(received.data))
        self.latencies.append(time.perf_counter() - t0)
        return seen

    def think(self) -> None:
        """A person reads the page before the next tap (--think; none by default: the goal's closed loop)."""
        if ARGS.think > 0:
            time.sleep(ARGS.think * self.rng.uniform(0.5, 1.5))

    def countdown_done(self) -> None:
        """The countdown on /book reached zero: the page asks the server what is open now. Timed."""
        self.event("window_opened", {}, {"meetings"})

    def rush(self) -> None:
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
            self.think()
            shown = self.event("pick", {"key": meeting["key"]}, {"slots", "notice"})
            slots = shown.get("slots") or []
            for _attempt in range(50):
                if not slots:
                    self.errors += 1  # nothing left to book (or the page refused): the meeting stays open
                    break
                preferred = [s for s in slots if s.get("suggested")] or slots
                slot = self.rng.choice(preferred[: ARGS.choice])
                self.think()
                shown = self.event("choose", {"slot_key": slot["key"]}, {"notice"})
                if (shown.get("notice") or {}).get("kind") == "ok":
                    self.booked += 1
                    self.meetings = list(shown.get("meetings") or self.meetings)
                    break
                self.lost += 1  # "just taken": the answer carries the refreshed grid
                slots = shown.get("slots", [s for s in slots if s is not slot])
            else:
                self.errors += 1


def sign_in(school_id: int, user_ids: list[int]) -> list[str]:
    """A server-side session per parent, as the tests sign a browser in; returns Cookie headers."""
    name = get_settings().session_cookie_name
    with scoped(get_engine(), None) as db:
        tokens = [create_session(db, user_id=uid, school_id=school_id) for uid in user_ids]
        db.commit()
    return [f"{name}={token}" for token in tokens]


def double_bookings(round_id: int) -> tuple[int, int]:
    with get_engine().connect() as conn:
        booked = conn.execute(
            text("SELECT count(*) FROM booking WHERE round_id = :r AND cancelled_at IS NULL"), {"r": round_id}
        ).scalar_one()
        doubles = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM (SELECT slot_id FROM booking WHERE round_id = :r"
                " AND cancelled_at IS NULL GROUP BY slot_id HAVING count(*) > 1) AS s)"
                " + (SELECT count(*) FROM (SELECT pupil_id FROM booking WHERE round_id = :r"
                " AND cancelled_at IS NULL GROUP BY teacher_id, pupil_id, household_key"
                " HAVING count(*) > 1) AS p)"
            ),
            {"r": round_id},
        ).scalar_one()
    return int(booked), int(doubles)


def wait_for_mail_to_settle(limit: float = 120.0) -> float:
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


def main() -> None:
    print(f"waited {wait_for_mail_to_settle():.0f} s for earlier mail to be sent")
    t0 = time.perf_counter()
    round_id, admin, families = seed(get_engine(), ARGS.parents, ARGS.class_size)
    cookies = sign_in(admin.school_id, [actor.user_id for actor, _pupils in families])
    print(f"seeded and signed in {len(families)} parents in {time.perf_counter() - t0:.1f} s")

    parents = [Parent(cookie, random.Random(i)) for i, cookie in enumerate(cookies)]
    ready = threading.Barrier(len(parents) + 1)
    failures: list[str] = []
    lock = threading.Lock()

    burst_done = threading.Barrier(len(parents) + 1)
    opening = threading.Semaphore(ARGS.opening)  # parents arrive over time; only the rush is at once

    def run(parent: Parent) -> None:
        try:
            with opening:
                parent.load()
        except (ReflexProtocolError, OSError) as exc:
            parent.errors += 1
            with lock:
                failures.append(f"load: {exc}")
        ready.wait()
        try:
            if ARGS.opening_burst:
                try:
                    parent.countdown_done()
                finally:
                    burst_done.wait()  # the rush starts once every page has opened
            if parent.meetings:
                parent.rush()
        except (ReflexProtocolError, OSError) as exc:
            parent.errors += 1
            with lock:
                failures.append(f"rush: {exc}")
        finally:
            parent.client.close()

    threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in parents]
    for thread in threads:
        thread.start()
    ready.wait()  # every parent has /book open: release them all at once
    if ARGS.opening_burst:
        burst_done.wait()
        burst = sorted(p.latencies.pop() for p in parents if p.latencies)
        print(f"opening: {len(burst)} pages p50_ms={_pct(burst, 0.5):.1f} p95_ms={_pct(burst, 0.95):.1f}")
    t1, cpu0 = time.perf_counter(), _cpu_now()
    for thread in threads:
        thread.join()
    seconds, cpu = time.perf_counter() - t1, _cpu_now()

    latencies = sorted(lat for p in parents for lat in p.latencies)
    events = sum(p.events for p in parents)
    errors = sum(p.errors for p in parents)
    booked, doubles = double_bookings(round_id)
    for failure in failures[:5]:
        print(f"error: {failure}")
    print(
        f"rush: {sum(p.booked for p in parents)} booked through the app ({booked} in the database,"
        f" {doubles} double bookings), {sum(p.lost for p in parents)} lost races, in {seconds:.1f} s"
    )

    if latencies:
        _print_cpu(cpu0, cpu, len(latencies))
    print(
        f"parents={len(parents)} events={events} errors={errors}"
        f" p50_ms={_pct(latencies, 0.5):.1f} p95_ms={_pct(latencies, 0.95):.1f}"
    )


def _cpu_now() -> tuple[float, float, float, float, float]:
    """(backend, database, this client, machine, stolen) CPU seconds so far."""
    backend = process_cpu(ARGS.backend_pid) if ARGS.backend_pid else 0.0
    return (backend, database_cpu(), time.process_time(), *machine_times())


def _print_cpu(before: tuple[float, ...], after: tuple[float, ...], events: int) -> None:
    """CPU per rush event of each side: in this closed loop (no pause between a parent's taps) the p95 is
    about the number of parents times the busiest side's CPU per event. The steal is the share of the
    machine's CPU time its host took (runs with much of it are slower)."""
    backend, database, client, machine, stolen = (b - a for a, b in zip(before, after, strict=True))
    side = f"backend {1000 * backend / events:.2f} ms, " if ARGS.backend_pid else ""
    print(
        f"CPU per rush event: {side}database {1000 * database / events:.2f} ms,"
        f" this client {1000 * client / events:.2f} ms; steal {100 * stolen / max(machine, 1e-9):.0f}%"
    )


def _pct(latencies: list[float], q: float) -> float:
    return latencies[int(q * (len(latencies) - 1))] * 1000 if latencies else 0.0


if __name__ == "__main__":
    main()
