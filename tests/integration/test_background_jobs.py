"""The backend's background jobs run in a child process: it sends queued mail, runs below the backend's
CPU priority, stops when the backend shuts down, and stops by itself when the backend dies."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine
from typing import Any

import psutil
import pytest

from ogp_app import background
from ogp_app.background import NICENESS, run_background_jobs
from ogp_app.core.db import session as db_session
from ogp_app.services.mail.outbox import enqueue
from tests.support.smtp import SmtpServer

CHILD_MARK = "ogp_app.background"


def _job_children(parent: psutil.Process) -> list[psutil.Process]:
    return [p for p in parent.children() if CHILD_MARK in " ".join(p.cmdline())]


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # exited; only its parent may reap it
    except psutil.NoSuchProcess:
        return True


def _autogroup_nice(pid: int) -> int | None:
    """The nice value of the process's autogroup ("/autogroup-12 nice 10"). None without one: the file is
    missing where the kernel has no autogroups, and empty for a process in the default group (CI starts
    the suite from a process that never began a session of its own)."""
    try:
        with open(f"/proc/{pid}/autogroup") as autogroup:
            fields = autogroup.read().split()
    except OSError:
        return None
    return int(fields[-1]) if fields else None


def _as_backend(work: Coroutine[Any, Any, None], *, timeout: float) -> None:
    """Run ``work`` as the backend's event loop, in a thread of its own: the e2e suite's Playwright keeps
    an event loop running in the main thread."""
    backend = threading.Thread(target=asyncio.run, args=(work,))
    backend.start()
    backend.join(timeout=timeout)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _queue_a_mail() -> None:
    with db_session() as db:
        enqueue(
            db,
            to="sanne@example.org",
            template="sign_in_link",
            language="nl",
            context={"name": "Sanne", "link": "https://ogp.example/auth/sign-in?token=t"},
        )
        db.commit()


def test_the_child_sends_mail_below_the_backends_priority_and_stops_with_it(
    clean_db: None, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGP_SMTP_HOST", smtp_server.host)  # the child reads its settings from the environment
    monkeypatch.setenv("OGP_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("OGP_SMTP_STARTTLS", "false")
    _queue_a_mail()
    seen: dict[str, list[psutil.Process] | list[int]] = {}

    async def serve_until_sent() -> None:
        jobs = asyncio.create_task(run_background_jobs())
        deadline = time.monotonic() + 30
        while not smtp_server.messages and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        children = _job_children(psutil.Process())
        seen["children"], seen["nice"] = children, [c.nice() for c in children]
        seen["group_nice"] = [_autogroup_nice(c.pid) for c in children]
        await _cancel(jobs)  # the backend shuts down

    _as_backend(serve_until_sent(), timeout=60)
    assert [m["To"] for m in smtp_server.messages] == ["sanne@example.org"]
    assert len(seen["children"]) == 1
    assert seen["nice"] == [os.nice(0) + NICENESS]
    # Its own session's scheduling group is niced too: with autogroups that is what ranks it below us.
    # Without the fix the child's new session has a group of nice 0, whatever group the suite runs in.
    assert all(nice in (None, NICENESS) for nice in seen["group_nice"]), seen["group_nice"]
    assert all(_gone(child) for child in seen["children"])


def test_the_child_stops_by_itself_when_the_backend_dies(clean_db: None) -> None:
    backend = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import asyncio; from ogp_app.background import run_background_jobs as r; asyncio.run(r())",
        ]
    )
    try:
        deadline = time.monotonic() + 30
        while not (children := _job_children(psutil.Process(backend.pid))) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(children) == 1
        backend.send_signal(signal.SIGKILL)  # a crash: no shutdown, no chance to stop the child
        backend.wait()
        deadline = time.monotonic() + 15
        while not _gone(children[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(children[0])
    finally:
        backend.kill()
        backend.wait()


def test_a_child_that_dies_is_started_again(clean_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "RESTART_AFTER_SECONDS", 0.1)
    pids: list[int] = []

    async def kill_the_first_child() -> None:
        jobs = asyncio.create_task(run_background_jobs())
        deadline = time.monotonic() + 60
        while len(pids) < 2 and time.monotonic() < deadline:
            children = _job_children(psutil.Process())
            if children and children[0].pid not in pids:
                pids.append(children[0].pid)
                if len(pids) == 1:
                    children[0].kill()  # a crash of the jobs process, not of the backend
            await asyncio.sleep(0.1)
        await _cancel(jobs)

    _as_backend(kill_the_first_child(), timeout=90)
    assert len(pids) == 2 and pids[0] != pids[1]
    assert not _job_children(psutil.Process())  # and the second one stopped with the backend


def test_every_job_waits_for_a_quiet_backend_before_each_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet = threading.Event()
    rounds: list[str] = []

    async def hold_until_quiet(_pid: int) -> float:
        while not quiet.is_set():
            await asyncio.sleep(0.01)
        return 0.0

    def counting(name: str) -> background.Job:
        return background.Job(name, 0.01, lambda: rounds.append(name))

    monkeypatch.setattr(background, "hold_while_busy", hold_until_quiet)
    monkeypatch.setattr(background, "JOBS", (counting("mail"), counting("reminders"), counting("retention")))

    async def run() -> None:
        jobs = asyncio.create_task(background._jobs_while_parent_lives(os.getppid()))
        await asyncio.sleep(0.3)
        seen["while busy"] = len(rounds)
        quiet.set()
        await asyncio.sleep(0.3)
        await _cancel(jobs)

    seen: dict[str, int] = {}
    _as_backend(run(), timeout=10)
    assert seen["while busy"] == 0
    assert set(rounds) == {"mail", "reminders", "retention"}


def _spin(stop: threading.Event) -> None:
    while not stop.is_set():
        pass


def test_the_child_holds_mail_while_the_backend_is_busy_and_sends_it_once_quiet(
    clean_db: None, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OGP_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("OGP_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("OGP_SMTP_STARTTLS", "false")
    # The spinner is busy, but on a loaded machine (a CI run beside other work) it may get less than the
    # default half core the child looks for, and the mail went out "while busy". A tenth of a core: the
    # spinner gets more than that whatever runs beside it, and this process at rest far less.
    monkeypatch.setenv("OGP_BACKGROUND_BUSY_CPU_SHARE", "0.1")
    _queue_a_mail()
    stop_spinning = threading.Event()
    seen: dict[str, object] = {}

    async def busy_then_quiet() -> None:
        spinner = threading.Thread(target=_spin, args=(stop_spinning,))  # this process, the backend, busy
        spinner.start()
        jobs = asyncio.create_task(run_background_jobs())
        try:
            deadline = time.monotonic() + 30
            while not _job_children(psutil.Process()) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.sleep(8)  # a quiet backend's child has sent it in 2-5 s (start-up, first round)
            seen["sent while busy"] = len(smtp_server.messages)
        finally:
            stop_spinning.set()
            spinner.join()
        deadline = time.monotonic() + 30
        while not smtp_server.messages and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        seen["sent once quiet"] = len(smtp_server.messages)
        await _cancel(jobs)

    _as_backend(busy_then_quiet(), timeout=90)
    assert seen == {"sent while busy": 0, "sent once quiet": 1}
