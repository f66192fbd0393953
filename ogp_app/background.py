"""Background jobs (sending mail, day-before reminders, retention) in a child process of the backend.

The backend runs every page event of every visitor in one Python process. Rendering and sending the
booking confirmations in that process took a quarter of its CPU during a booking rush, and every
parent's event waited behind it for the interpreter lock. So the backend only starts the jobs: it
spawns ``python -m ogp_app.background <backend pid>``, which runs them at a lower CPU priority (mail
can wait seconds, a parent's tap cannot), restarts it if it dies, and stops it on shutdown. The child
stops by itself once its backend is gone, even after a crash. With several backend workers each starts
one child; every job claims its rows atomically, so nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ogp_app.core import log_bounds, log_format
from ogp_app.core.backend_load import hold_while_busy
from ogp_app.core.settings import get_settings

logger = logging.getLogger(__name__)

NICENESS = 10  # the child's CPU priority below the backend's (0): the scheduler serves page events first
RESTART_AFTER_SECONDS = 5.0
STOP_TIMEOUT_SECONDS = 10.0
ORPHAN_CHECK_SECONDS = 1.0
AUTOGROUP = "/proc/self/autogroup"
MAIL_EVERY_SECONDS = 5.0
REMIND_EVERY_SECONDS = 600.0  # reminders go from 08:00 (Amsterdam): within ten minutes of it
RETENTION_EVERY_SECONDS = 3600.0


@dataclass(frozen=True)
class Job:
    """A round of blocking work (the database, SMTP) run in a thread every ``every`` seconds."""

    name: str
    every: float
    round: Callable[[], object]
    first_after: float = 0.0


def deliver_mail() -> None:
    """Requests only write to the outbox; this sends it (booking confirmations are rendered first)."""
    from ogp_app.core.db import session as db_session
    from ogp_app.integrations.mailer import mailer_from_settings
    from ogp_app.services.mail.outbox import deliver_due
    from ogp_app.services.rounds.confirmations import render_pending_confirmations

    render_pending_confirmations()
    deliver_due(db_session, mailer_from_settings())


def queue_reminders() -> None:
    """Day-before reminder mails (via the outbox); each booking is claimed once, however many children."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.rounds.reminders import send_day_before_if_due

    if queued := send_day_before_if_due(unscoped):
        logger.info("reminders: %d day-before reminder(s) queued", queued)


def apply_retention() -> None:
    """Expired sessions and links, old mail, schools past their grace period."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.privacy import retention

    counts = retention.run(unscoped)
    logger.info("retention: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))


JOBS: tuple[Job, ...] = (
    Job("mail delivery", MAIL_EVERY_SECONDS, deliver_mail),
    Job("reminders", REMIND_EVERY_SECONDS, queue_reminders),
    Job("retention", RETENTION_EVERY_SECONDS, apply_retention, first_after=30.0),
)


async def repeat(job: Job, *, pause: Callable[[], Awaitable[object]]) -> None:
    """Run ``job`` for ever: ``pause`` is awaited before each round (every job holds while the backend
    is busy); a failed round is logged and the next one comes as planned."""
    await asyncio.sleep(job.first_after)
    while True:
        try:
            await pause()
            await asyncio.to_thread(job.round)
        except Exception:
            logger.exception("%s round failed; trying again in %s s", job.name, job.every)
        await asyncio.sleep(job.every)


async def run_background_jobs() -> None:
    """The backend's lifespan task: keep one child process running the jobs until shutdown."""
    while True:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "ogp_app.background",
            str(os.getpid()),
            start_new_session=True,  # Ctrl-C in a terminal stops the backend, which stops the child
        )
        try:
            code = await child.wait()
        except asyncio.CancelledError:
            await _stop(child)
            raise
        logger.error("background jobs stopped (exit %s); starting again in %s s", code, RESTART_AFTER_SECONDS)
        await asyncio.sleep(RESTART_AFTER_SECONDS)


async def _stop(child: asyncio.subprocess.Process) -> None:
    if child.returncode is not None:
        return
    child.terminate()
    try:
        await asyncio.wait_for(child.wait(), STOP_TIMEOUT_SECONDS)
    except TimeoutError:
        child.kill()
        await child.wait()


async def _jobs_while_parent_lives(parent_pid: int) -> None:
    jobs = [asyncio.create_task(repeat(job, pause=lambda: hold_while_busy(parent_pid))) for job in JOBS]
    try:
        while os.getppid() == parent_pid:  # a dead parent's child is re-parented
            await asyncio.sleep(ORPHAN_CHECK_SECONDS)
    finally:
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)


def lower_priority() -> None:
    """Nice this process. Where Linux groups processes by session for the scheduler (autogroup, on by
    default), a process's own nice value only ranks it within its session, and the child has a session
    of its own (start_new_session): there it is the session's nice that the scheduler weighs against
    the backend. Measured in a booking rush before this: the niced child rendering confirmations took
    a full core-second in 3.4 s, as much as if it were not niced at all."""
    os.nice(NICENESS)
    try:
        with open(AUTOGROUP, "w") as autogroup:
            autogroup.write(str(NICENESS))
    except OSError:
        pass  # no autogroups here (another system, or turned off): the process's nice is what counts


def main(argv: list[str]) -> None:
    """The child: ``python -m ogp_app.background <backend pid>``."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    log_bounds.install()
    log_format.install(get_settings().log_format)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    lower_priority()
    asyncio.run(_jobs_while_parent_lives(int(argv[1])))


if __name__ == "__main__":
    main(sys.argv)
