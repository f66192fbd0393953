"""The booking rush: a school of --families families released at once through the booking service.

Run: .venv/bin/python bench/booking_rush.py --database-url postgresql://... --families 1000 --workers 32

Each run creates its own school (a new slug; nothing is dropped) and a round with enough slots. Every
family first opens /book (its children's meetings and free times: parents wait on the page before the
window opens; not timed). Then all are released at once: --workers threads book every meeting of every
family, each a time from the family's page (next to a sibling's conversation when it can), and on "just
taken" a fresh grid and another try, as the page does. The workers share the app's engine and pool (as
one backend process's request threads do; a worker waiting for a connection waits inside its booking
call). tx_per_s is booking transactions (won or lost) per second of the rush, fresh grids included;
p95_ms is of the booking calls. The confirmation mails, rendered after the commit by the mail worker,
are rendered next and reported on their own line. Then the run measures plain single-row INSERT
transactions into a similar table of the same database with the same number of workers, each with a
connection of its own (the most the database does), and counts double bookings by SQL over the booking
table. There are --runs runs (3): a rush lasts about two seconds and single runs vary by a third on a
shared machine, so the medians of T and R count, p95_ms is over the booking calls of all runs, D is the
sum and B the fewest of a run. Last line:
families=F bookings=B double_bookings=D tx_per_s=T raw_insert_tx_per_s=R ratio=T/R p95_ms=P
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--class-size", type=int, default=28)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="instead of the rush: book N families on one thread under cProfile and print the top functions",
    )
    parser.add_argument(
        "--connect-args",
        default=None,
        help="psycopg connection arguments as JSON instead of the app's"
        " (ogp_app.core.db_engine.postgres_connect_args), e.g. '{\"prepare_threshold\": null}'"
        " (no prepared statements: every statement planned anew)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="rushes, each with a new school and raw inserts after it"
    )
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key for --profile (e.g. tottime)")
    return parser.parse_args()


ARGS = _args()
os.environ["OGP_DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("OGP_ENV", "development")

from cpu_meter import database_cpu  # noqa: E402  (bench/ is the script folder, first on sys.path)
from rush_school import scoped, seed  # noqa: E402
from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import ogp_app.models  # noqa: E402,F401
from ogp_app.core.db import make_engine  # noqa: E402
from ogp_app.services.rounds import FamilyGapConflict, SlotTaken  # noqa: E402
from ogp_app.services.rounds.actor import Actor  # noqa: E402
from ogp_app.services.rounds.booking import book  # noqa: E402
from ogp_app.services.rounds.confirmations import render_pending_confirmations  # noqa: E402
from ogp_app.services.rounds.grid import SlotOption  # noqa: E402
from ogp_app.services.rounds.views import free_slots, parent_rounds  # noqa: E402


def app_engine(url: str) -> Engine:
    """The engine one backend process of the app has: its own pool (so at most that many of the
    workers' transactions are in the database at once; the others queue for a connection, and that
    wait counts in p95_ms)."""
    if ARGS.connect_args is not None and not url.startswith("sqlite"):
        return make_engine(url, connect_args=json.loads(ARGS.connect_args))
    return make_engine(url)


def raw_engine(url: str, workers: int) -> Engine:
    """For the raw inserts: a connection per worker, so R is the most the database does, not what a
    smaller pool lets through (a higher R makes the ratio stricter)."""
    return make_engine(
        url, pool_size=workers + 1, **({} if url.startswith("sqlite") else {"max_overflow": 0})
    )


ENGINE = app_engine(ARGS.database_url)
RAW_ENGINE = raw_engine(ARGS.database_url, ARGS.workers)
STATEMENTS = [0]  # SQL statements sent during the rush (counted, not timed: the machine is shared)


def _count_statements() -> None:
    """Count every statement the driver sends: on PostgreSQL a parent's booking goes to psycopg
    directly (ogp_app.core.db_engine.write_alone), past the engine's events. A lost increment under threads
    only blurs a figure that is already an average."""

    def count(*_args: object) -> None:
        STATEMENTS[0] += 1

    if ENGINE.dialect.name != "postgresql":
        event.listen(ENGINE, "before_cursor_execute", count)
        return
    import psycopg

    execute = psycopg.Cursor.execute

    def counted(self: psycopg.Cursor[Any], *args: Any, **kwargs: Any) -> Any:
        count()
        return execute(self, *args, **kwargs)

    psycopg.Cursor.execute = counted  # type: ignore[method-assign]


_count_statements()


Grid = dict[tuple[int, int], list[SlotOption]]  # (pupil, teacher) -> the free times the family sees


def open_pages(
    school_id: int, round_id: int, families: list[tuple[Actor, list[int]]]
) -> list[tuple[Actor, Grid]]:
    """Before the release: every family has /book open, with the free times of each meeting it has to
    book (parents wait on the page with its countdown; these reads are not part of the rush)."""
    pages = []
    with scoped(ENGINE, school_id) as db:
        for actor, _pupils in families:
            grid: Grid = {}
            for plan in parent_rounds(db, actor=actor, now=datetime.now(UTC)):
                if plan.round_id != round_id:
                    continue
                for child in plan.children:
                    for meeting in child.meetings:
                        if meeting.booking_id is None:
                            key = (child.pupil_id, meeting.teacher_id)
                            grid[key] = _grid(db, actor, round_id, key)
            pages.append((actor, grid))
            db.rollback()
    return pages


def _grid(db: Session, actor: Actor, round_id: int, key: tuple[int, int]) -> list[SlotOption]:
    days = free_slots(
        db, actor=actor, round_id=round_id, pupil_id=key[0], teacher_id=key[1], now=datetime.now(UTC)
    )
    db.rollback()  # end the read transaction before booking
    return [s for d in days for s in d.slots]


def _pick(rng: random.Random, options: list[SlotOption], booked: list[SlotOption]) -> SlotOption:
    """A time right before or after a sibling's conversation when there is one, else any free time."""
    next_to = [o for o in options for b in booked if o.starts_at == b.ends_at or o.ends_at == b.starts_at]
    return rng.choice(next_to or [o for o in options if o.suggested] or options)


def rush(
    school_id: int, round_id: int, pages: list[tuple[Actor, Grid]], workers: int, profiler: Any = None
) -> tuple[int, list[float], float, int]:
    """Every family books each meeting from the times on its page; on "just taken" it gets a fresh grid
    and tries again (as the page does). Returns (bookings, latency per booking call, seconds, lost)."""
    todo: queue.Queue[tuple[Actor, Grid]] = queue.Queue()
    for page in pages:
        todo.put(page)
    latencies: list[float] = []
    booked = lost = 0
    lock = threading.Lock()
    start = threading.Barrier(workers + 1)

    def worker() -> None:
        nonlocal booked, lost
        rng = random.Random()
        mine_lat: list[float] = []
        mine_booked = mine_lost = 0
        start.wait()
        if profiler is not None:  # cProfile sees only the thread that enabled it
            profiler.enable()
        while True:
            try:
                actor, grid = todo.get_nowait()
            except queue.Empty:
                break
            done: list[SlotOption] = []
            with scoped(ENGINE, school_id) as db:
                for (pupil_id, teacher_id), options in grid.items():
                    for _attempt in range(50):
                        if not options:
                            break
                        slot = _pick(rng, options, done)
                        t0 = time.perf_counter()
                        try:
                            book(db, actor=actor, slot_id=slot.slot_id, pupil_id=pupil_id)
                            mine_lat.append(time.perf_counter() - t0)
                            mine_booked += 1
                            done.append(slot)
                            break
                        except (SlotTaken, FamilyGapConflict):
                            db.rollback()
                            mine_lat.append(time.perf_counter() - t0)
                            mine_lost += 1
                            options = _grid(db, actor, round_id, (pupil_id, teacher_id))
        if profiler is not None:
            profiler.disable()
        with lock:
            latencies.extend(mine_lat)
            booked += mine_booked
            lost += mine_lost

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return booked, latencies, time.perf_counter() - t0, lost


def raw_inserts(workers: int, total: int) -> float:
    """Single-row INSERT transactions per second into a booking-like table, same workers, same database."""
    with RAW_ENGINE.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bench_raw_booking (id integer primary key"
                + (
                    " autoincrement"
                    if RAW_ENGINE.dialect.name == "sqlite"
                    else " generated always as identity"
                )
                + ", school_id integer not null, slot_id integer not null, pupil_id integer not null,"
                " household_key integer not null, note varchar(500), created_at timestamp not null)"
            )
        )
    per_worker = max(1, total // workers)
    start = threading.Barrier(workers + 1)

    def worker(n: int) -> None:
        start.wait()
        for i in range(per_worker):
            for _attempt in range(100):  # SQLite: "database is locked" past busy_timeout; try again
                try:
                    _raw_insert(n * per_worker + i, i)
                    break
                except OperationalError:
                    continue

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return per_worker * workers / (time.perf_counter() - t0)


def _raw_insert(slot: int, pupil: int) -> None:
    with RAW_ENGINE.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO bench_raw_booking"
                " (school_id, slot_id, pupil_id, household_key, note, created_at)"
                " VALUES (:s, :slot, :p, 0, NULL, :at)"
            ),
            {"s": 1, "slot": slot, "p": pupil, "at": datetime.now(UTC).replace(tzinfo=None)},
        )


def double_bookings(round_id: int) -> int:
    """Counted by SQL after the rush: slots with two active bookings, and pupils with two per teacher."""
    with ENGINE.connect() as conn:
        slots = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT slot_id FROM booking"
                " WHERE round_id = :r AND cancelled_at IS NULL GROUP BY slot_id HAVING count(*) > 1) AS d"
            ),
            {"r": round_id},
        ).scalar_one()
        pupils = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT pupil_id FROM booking"
                " WHERE round_id = :r AND cancelled_at IS NULL"
                " GROUP BY teacher_id, pupil_id, household_key HAVING count(*) > 1) AS d"
            ),
            {"r": round_id},
        ).scalar_one()
        return int(slots) + int(pupils)


def profile(school_id: int, round_id: int, pages: list[tuple[Actor, Grid]]) -> None:
    """One thread, no contention: where does the time of a family's bookings go (cProfile, CPU time)."""
    import cProfile
    import pstats

    STATEMENTS[0] = 0
    profiler = cProfile.Profile(time.process_time)  # CPU, not wall time: the machine is shared
    booked, latencies, seconds, _lost = rush(school_id, round_id, pages, 1, profiler)
    print(
        f"profile: {booked} booked by {len(pages)} families on one thread in {seconds:.2f} s,"
        f" {STATEMENTS[0] / max(len(latencies), 1):.1f} SQL statements per booking call"
    )
    pstats.Stats(profiler).sort_stats(ARGS.sort).print_stats(40)


def confirmations() -> None:
    """What the rush left to the mail worker: every confirmation, rendered after the bookings committed."""
    t0, cpu0, total = time.perf_counter(), time.process_time(), 0
    while rendered := render_pending_confirmations(limit=500):
        total += rendered
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(
        f"confirmations: {total} rendered into the outbox after the rush in {seconds:.1f} s"
        f" ({1000 * cpu / max(total, 1):.1f} ms CPU each; the app's mail worker does this every 5 s)"
    )


def prepare() -> tuple[int, int, list[tuple[Actor, Grid]]]:
    """A new school, its round open, every family on /book: (school, round, pages)."""
    t0 = time.perf_counter()
    round_id, admin, families = seed(ENGINE, ARGS.families, ARGS.class_size)
    print(
        f"seeded {len(families)} families, {sum(len(p) for _, p in families)} pupils"
        f" in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    pages = open_pages(admin.school_id, round_id, families)
    print(f"{len(pages)} families opened /book before the release in {time.perf_counter() - t0:.1f} s")
    return admin.school_id, round_id, pages


def measured_rush(
    school_id: int, round_id: int, pages: list[tuple[Actor, Grid]]
) -> tuple[int, list[float], float]:
    """One rush with its costs printed: (bookings, latency per booking call, booking transactions/s)."""
    STATEMENTS[0] = 0
    cpu0, db_cpu0 = time.process_time(), database_cpu()
    booked, latencies, seconds, lost = rush(school_id, round_id, pages, ARGS.workers)
    cpu = time.process_time() - cpu0  # this process only (not the database server): robust to a busy machine
    db_cpu = database_cpu() - db_cpu0
    attempts = max(len(latencies), 1)
    print(
        f"rush: {booked} booked, {lost} lost races (each followed by a fresh grid),"
        f" {len(latencies)} booking transactions in {seconds:.2f} s,"
        f" {STATEMENTS[0] / attempts:.1f} SQL statements and {1000 * cpu / attempts:.2f} ms of"
        " this process's CPU per booking transaction (grid reloads after a lost race included),"
        f" {1000 * db_cpu / attempts:.2f} ms of the database server's CPU"
    )
    return booked, latencies, len(latencies) / seconds


def main() -> None:
    SQLModel.metadata.create_all(ENGINE)
    if ARGS.profile:
        school_id, round_id, pages = prepare()
        profile(school_id, round_id, pages[: ARGS.profile])
        return
    # Each run pairs a rush with raw inserts right after it, so both see the machine in the same state;
    # the medians are compared (a rush lasts about two seconds: single runs vary by a third).
    booked, latencies, rates, raws, doubles = [], [], [], [], 0
    for run in range(1, ARGS.runs + 1):
        school_id, round_id, pages = prepare()
        run_booked, run_latencies, rate = measured_rush(school_id, round_id, pages)
        confirmations()
        raw = raw_inserts(ARGS.workers, max(len(run_latencies), 2000))
        doubles += double_bookings(round_id)
        booked.append(run_booked)
        latencies += run_latencies
        rates.append(rate)
        raws.append(raw)
        print(f"run {run}: tx_per_s={rate:.0f} raw_insert_tx_per_s={raw:.0f} ratio={rate / raw:.2f}")
    tx_per_s, raw = statistics.median(rates), statistics.median(raws)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0
    print(
        f"families={ARGS.families} bookings={min(booked)} double_bookings={doubles} tx_per_s={tx_per_s:.0f} "
        f"raw_insert_tx_per_s={raw:.0f} ratio={tx_per_s / raw:.2f} p95_ms={p95:.1f}"
    )


if __name__ == "__main__":
    main()
