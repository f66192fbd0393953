"""Hostile files, a huge anonymous upload and an event flood against the running app, while another
signed-in parent taps every 200 ms. Prints figures, not a test.

Run against a production build on the database the bench writes to (as bench/booking_rush_ws.py):

    export OGP_ENV=development OGP_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ogp_hostile
    .venv/bin/ogp db upgrade
    OGP_SECRET_KEY=... OGP_PUBLIC_BASE_URL=http://localhost:3000 PATH="$PWD/.tools/node_modules/.bin:$PATH" \\
      .venv/bin/reflex run --env prod --single-port --frontend-port 3000 --backend-host 127.0.0.1
    .venv/bin/python bench/hostile.py --url http://localhost:3000 --backend-pid PID

``--backend-pid``: the backend worker (the granian worker process running the app); its memory (its own
RSS; the roster reader children's apart), disk writes (with its children) and CPU are read from /proc.
Without it those lines say n/a.

What it does: seeds a small school (bench/rush_school.py) with an admin (authenticator enrolled) and
parents, signs them in (a session row and its cookie, as the tests do). Parent P opens /book and taps
(``BookState.pick``) every 200 ms throughout; its latency is the time to the delta that answers. Phases:
before (P alone), then each attack repeated for --phase seconds: every hostile file (made here:
tests/support/hostile_files.py) uploaded by the admin through the roster page's upload, a 300 MB
anonymous upload, and a flood: a second parent sends events as fast as its socket takes them for
--flood seconds, then leaves. Per phase: P's p95 beside its p95 before, the backend's peak memory
and the bytes it wrote to disk. After the flood: how long until the backend is quiet again (its CPU
under a tenth of a core for 0.5 s, or, without --backend-pid, P's taps back under twice their p95).
The last lines are the goals, each with PASS or FAIL.
"""

from __future__ import annotations

import argparse
import functools
import os
import select
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default="http://localhost:3000", help="the running app")
    parser.add_argument("--database-url", default=os.environ.get("OGP_DATABASE_URL", ""))
    parser.add_argument("--backend-pid", type=int, default=0, help="the app's backend worker process")
    parser.add_argument("--phase", type=float, default=6.0, help="seconds each attack is repeated")
    parser.add_argument("--before", type=float, default=10.0, help="seconds of taps before any attack")
    parser.add_argument("--flood", type=float, default=10.0, help="seconds the flooding client sends")
    parser.add_argument("--tap", type=float, default=0.2, help="seconds between the parent's taps")
    parser.add_argument("--anonymous-mb", type=int, default=300)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or OGP_DATABASE_URL) must name the database the app uses")
    return args


ARGS = _args()
os.environ["OGP_DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("OGP_ENV", "development")

import httpx  # noqa: E402
import psutil  # noqa: E402
import pyotp  # noqa: E402
from book_page import BOOK, book_vars  # noqa: E402
from cpu_meter import process_cpu  # noqa: E402  (bench/ comes first on sys.path)
from rush_school import scoped, seed  # noqa: E402

import ogp_app.models  # noqa: E402,F401
from ogp_app.core.db import get_engine  # noqa: E402
from ogp_app.core.settings import get_settings  # noqa: E402
from ogp_app.models import User  # noqa: E402
from ogp_app.pages.school.roster_import.state import RosterImportState  # noqa: E402
from ogp_app.services.auth import two_factor  # noqa: E402
from ogp_app.services.auth.sessions import create_session  # noqa: E402
from ogp_app.services.roster_import.isolated import CHILD_MODULE  # noqa: E402
from tests.security.reflex_client import ReflexClient, ReflexProtocolError, _router_data  # noqa: E402
from tests.support import hostile_files  # noqa: E402

UPLOAD_HANDLER = f"{RosterImportState.get_full_name()}.handle_upload"
MB = 2**20


class Tapper(threading.Thread):
    """Parent P: opens /book, then picks its first meeting every --tap seconds; (sent at, latency)."""

    def __init__(self, cookie: str) -> None:
        super().__init__(daemon=True)
        self.client = ReflexClient(ARGS.url, cookie=cookie, origin=ARGS.url, timeout=30)
        self.samples: list[tuple[float, float]] = []
        self.failures = 0
        self.stop = threading.Event()
        self.client.connect()
        state = book_vars({"delta": self.client.call(f"{BOOK}.load_page", pathname="/book").barrier_state})
        meetings = state.get("meetings") or []
        if state.get("access") != "granted" or not meetings:
            raise SystemExit(f"/book did not open for the tapping parent: {state.get('access')!r}")
        self.key = meetings[0]["key"]

    def run(self) -> None:
        while not self.stop.is_set():
            sent = time.monotonic()
            self.client.send_event(f"{BOOK}.pick", {"key": self.key}, router_data=_router_data("/book"))
            try:
                while not {"slots", "notice"} & book_vars(self._next(sent + 30)).keys():
                    pass
                self.samples.append((sent, time.monotonic() - sent))
            except ReflexProtocolError:
                self.failures += 1
            self.stop.wait(max(0.0, sent + ARGS.tap - time.monotonic()))

    def _next(self, deadline: float) -> Any:
        received = self.client._next_received(deadline - time.monotonic())
        if received is None:
            raise ReflexProtocolError("no answer within 30 s")
        return received.data

    def p95(self, start: float, end: float) -> tuple[float, int]:
        window = sorted(lat for at, lat in self.samples if start <= at < end)
        return (window[int(0.95 * (len(window) - 1))] * 1000 if window else float("nan")), len(window)


class Backend(threading.Thread):
    """Samples the backend's memory and CPU every 50 ms: the worker's own RSS (a child between fork and
    exec would show the worker's pages again), and apart from it the roster reader children's."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0  # since the last reset (per phase)
        self.peak_overall = 0
        self.reader_peak = 0
        self.cpu: list[tuple[float, float]] = []  # (time, CPU seconds so far)
        self.stop = threading.Event()

    def tree(self) -> list[psutil.Process]:
        root = psutil.Process(self.pid)
        return [root, *root.children(recursive=True)]

    def rss(self) -> int:
        return int(psutil.Process(self.pid).memory_info().rss)

    def readers(self) -> int:
        def reader(process: psutil.Process) -> int:
            return int(process.memory_info().rss) if CHILD_MODULE in " ".join(process.cmdline()) else 0

        return self._sum(reader)

    def written(self) -> int:
        """Bytes the processes caused to be written to storage (/proc/<pid>/io write_bytes)."""
        return self._sum(lambda process: int(process.io_counters().write_bytes))

    def _sum(self, read: Callable[[psutil.Process], int]) -> int:
        total = 0
        for process in self.tree():
            try:
                total += read(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        return total

    def run(self) -> None:
        while not self.stop.is_set():
            rss = self.rss()
            self.peak, self.peak_overall = max(self.peak, rss), max(self.peak_overall, rss)
            self.reader_peak = max(self.reader_peak, self.readers())
            self.cpu.append((time.monotonic(), process_cpu(self.pid)))
            self.stop.wait(0.05)


def enrol_and_sign_in(school_id: int, admin_id: int, parent_ids: list[int]) -> list[str]:
    name = get_settings().session_cookie_name
    with scoped(get_engine(), None) as db:
        user = db.get(User, admin_id)
        assert user is not None
        enrolment = two_factor.begin_enrolment(db, user_id=admin_id, account_label=user.email)
        two_factor.confirm_enrolment(db, user_id=admin_id, code=pyotp.TOTP(enrolment.secret).now())
        tokens = [create_session(db, user_id=uid, school_id=school_id) for uid in [admin_id, *parent_ids]]
        db.commit()
    return [f"{name}={token}" for token in tokens]


def upload_as_admin(cookie: str, client_token: str, name: str, data: bytes) -> str:
    response = httpx.post(
        f"{ARGS.url}/_upload",
        headers={
            "reflex-client-token": client_token,
            "reflex-event-handler": UPLOAD_HANDLER,
            "Cookie": cookie,
        },
        files={"files": (name, data, "application/octet-stream")},
        timeout=120,
    )
    return f"{response.status_code}"


def anonymous_upload(size: int) -> str:
    """Stream ``size`` bytes of multipart to /_upload without a session; stop when the server answers."""
    url = urlsplit(ARGS.url)
    host, port = url.hostname or "localhost", url.port or 80
    head = (
        f"POST /_upload HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {size}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"reflex-client-token: {uuid.uuid4()}\r\nreflex-event-handler: {UPLOAD_HANDLER}\r\n\r\n"
    ).encode()
    part = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n\r\n'
    chunk, sent = b"a" * MB, 0
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(head)
        try:
            while sent < size and not select.select([sock], [], [], 0)[0]:
                piece = part if sent == 0 else chunk
                sock.sendall(piece)
                sent += len(piece)
        except OSError:
            pass
        try:
            status = sock.recv(64).split(b" ")[1].decode()
        except (OSError, IndexError):
            status = "closed"
    return f"{status} after {sent / MB:.0f} MB sent"


def flood(cookie: str, seconds: float) -> tuple[int, float, str]:
    """One client sends pick events as fast as its socket takes them; (events, time it left, why)."""
    client = ReflexClient(ARGS.url, cookie=cookie, origin=ARGS.url, timeout=30)
    client.connect()
    state = book_vars({"delta": client.call(f"{BOOK}.load_page", pathname="/book").barrier_state})
    key = (state.get("meetings") or [{}])[0].get("key", "x")
    sent, end, why = 0, time.monotonic() + seconds, "its time was up"
    try:
        while time.monotonic() < end:
            client.send_event(f"{BOOK}.pick", {"key": key}, router_data=_router_data("/book"))
            sent += 1
    except (ReflexProtocolError, OSError) as error:
        why = f"its sends failed ({type(error).__name__}: {error})"[:160]  # the server stopped reading
    client._close_socket()
    return sent, time.monotonic(), why


def quiet_after(backend: Backend | None, tapper: Tapper, left: float, before_p95: float) -> float:
    """Seconds from ``left`` until the backend is quiet again (see the module's docstring)."""
    deadline = left + 180
    while time.monotonic() < deadline:
        time.sleep(0.25)
        if backend is not None:
            points = [(t, c) for t, c in backend.cpu if t >= left]
            for i, (t, c) in enumerate(points):
                later = [(t2, c2) for t2, c2 in points[i:] if t2 - t >= 0.5]
                if later and (later[0][1] - c) / (later[0][0] - t) < 0.1:
                    return t - left
        else:
            for at, lat in tapper.samples:
                if at >= left and lat * 1000 <= 2 * before_p95:
                    return at - left
    return float("inf")


def main() -> None:
    backend = Backend(ARGS.backend_pid) if ARGS.backend_pid else None
    print("making the hostile files ...", flush=True)
    t0 = time.perf_counter()
    files: list[tuple[str, str, bytes]] = [
        ("shared-strings bomb (240 MB unpacked)", "bom.xlsx", hostile_files.shared_strings_bomb(240)),
        (
            "empty-rows bomb (20 million rows)",
            "leeg.xlsx",
            hostile_files.empty_rows_bomb(20_000_000, numbered=False),
        ),
        ("one row at 20 million", "ver.xlsx", hostile_files.far_row_xlsx()),
        ("100,000 columns", "breed.csv", hostile_files.wide_csv()),
        ("a 200,000-character field", "veld.csv", hostile_files.huge_field_csv()),
        ("too large (11 MB)", "groot.csv", hostile_files.too_large_csv()),
    ]
    sizes = ", ".join(f"{name} {len(data) / 1024:.0f} KB" for _, name, data in files)
    print(f"made in {time.perf_counter() - t0:.0f} s: {sizes}")

    round_id, admin, families = seed(get_engine(), 4, 28)
    admin_cookie, tap_cookie, flood_cookie = enrol_and_sign_in(
        admin.school_id, admin.user_id, [families[0][0].user_id, families[1][0].user_id]
    )
    page = ReflexClient(ARGS.url, cookie=admin_cookie, origin=ARGS.url, timeout=60)
    page.connect()
    page.call(f"{RosterImportState.get_full_name()}.load_page", pathname="/school/roster/import")
    tapper = Tapper(tap_cookie)
    if backend is not None:
        backend.start()
        time.sleep(0.5)
    base_rss = backend.rss() if backend else 0
    tapper.start()
    start = time.monotonic()
    time.sleep(ARGS.before)
    before_p95, before_n = tapper.p95(start, time.monotonic())
    print(f"before: p95 {before_p95:.1f} ms ({before_n} taps); backend {base_rss / MB:.0f} MB")

    rows: list[tuple[str, float, str]] = []

    def phase(label: str, attack: Callable[[], str]) -> None:
        written = backend.written() if backend else 0
        cpu = process_cpu(ARGS.backend_pid) if backend else 0.0
        if backend:
            backend.peak = 0
        begin, outcomes = time.monotonic(), []
        while time.monotonic() - begin < ARGS.phase:
            outcomes.append(attack())
        p95, taps = tapper.p95(begin, time.monotonic())
        if backend:  # the backend's own CPU per attack, whatever else the machine is doing
            cpu = (process_cpu(ARGS.backend_pid) - cpu) / len(outcomes)
        mem = f"CPU {1000 * cpu:.0f} ms each; peak {backend.peak / MB:.0f} MB" if backend else "peak n/a"
        if backend:
            mem += f" (reader child {backend.reader_peak / MB:.0f} MB)"
            backend.reader_peak = 0
        disk = f"wrote {backend.written() - written} B" if backend else "wrote n/a"
        seen = sorted(set(outcomes))[:2]
        print(
            f"{label}: x{len(outcomes)} -> {seen}; p95 {p95:.1f} ms ({taps} taps)"
            f" vs {before_p95:.1f} before; {mem}; {disk}"
        )
        rows.append((label, p95, disk))

    for label, name, data in files:
        phase(label, functools.partial(upload_as_admin, admin_cookie, page.token, name, data))
    anon_written = backend.written() if backend else 0
    phase(f"anonymous {ARGS.anonymous_mb} MB upload", lambda: anonymous_upload(ARGS.anonymous_mb * MB))
    anon_bytes = backend.written() - anon_written if backend else -1

    if backend:
        backend.peak = 0
    begin = time.monotonic()
    events, left, why = flood(flood_cookie, ARGS.flood)
    quiet = quiet_after(backend, tapper, left, before_p95)
    p95, taps = tapper.p95(begin, left + quiet)
    mem = f"peak {backend.peak / MB:.0f} MB" if backend else "peak n/a"
    print(
        f"flood: {events} events in {left - begin:.1f} s, until {why}; p95 {p95:.1f} ms ({taps} taps); {mem};"
        f" quiet {quiet:.1f} s after it left"
    )
    rows.append(("flood", p95, ""))
    tapper.stop.set()
    if backend:
        backend.stop.set()
    page.close()

    worst = max(rows, key=lambda r: r[1] if r[1] == r[1] else 0)  # NaN (no taps) sorts last
    uploads = max(rows[:-1], key=lambda r: r[1] if r[1] == r[1] else 0)
    print(f"round {round_id}; tapping parent failures: {tapper.failures}")
    _goal(
        "p95 during the file and upload attacks <= 2x before",
        uploads[1] <= 2 * before_p95,
        f"worst {uploads[1]:.1f} ms ({uploads[0]}) vs {before_p95:.1f} ms before",
    )
    _goal(
        "p95 during any attack <= 2x before",
        worst[1] <= 2 * before_p95,
        f"worst {worst[1]:.1f} ms ({worst[0]}) vs {before_p95:.1f} ms before",
    )
    if backend:
        grown = (backend.peak_overall - base_rss) / MB
        _goal("backend memory growth <= 200 MB", grown <= 200, f"{grown:.0f} MB")
        _goal("0 bytes spooled by an anonymous upload", anon_bytes == 0, f"{anon_bytes} B written")
    else:
        print("goal memory / spooled bytes: n/a (no --backend-pid)")
    _goal("flood ends within 1 s of the client leaving", quiet <= 1.0, f"{quiet:.1f} s")


def _goal(name: str, ok: bool, figure: str) -> None:
    print(f"goal {name}: {figure} {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
