"""Mail and reminders wait while the backend is busy: a parent's tap cannot wait, a confirmation can.

On a 2-core machine the jobs child (ogp_app.background) rendering and sending booking confirmations
during a booking rush took CPU and database time from the page events: with it, 200 parents booking at
once saw p95 500-550 ms (bench/booking_rush_ws.py); in the same runs when no mail round fell inside
the rush, 320 ms. So before each round the child looks at how much CPU its backend process used over
the last half second (Linux's /proc) and holds the round while that is more than half a core (the
setting background_busy_cpu_share), for at
most a minute at a time: a rush that lasts longer still gets its mail out, a minute late at worst.
"""

from __future__ import annotations

import asyncio
import os
import time

from ogp_app.core.settings import get_settings

SAMPLE_SECONDS = 0.5
MAX_HOLD_SECONDS = 60.0


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process so far, None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def hold_while_busy(pid: int, *, max_hold: float = MAX_HOLD_SECONDS) -> float:
    """Return once process ``pid`` used less than the busy share of a core (``background_busy_cpu_share``)
    over SAMPLE_SECONDS (or its time cannot be read), or after ``max_hold`` seconds; returns the seconds
    held."""
    share = get_settings().background_busy_cpu_share
    started = time.monotonic()
    while time.monotonic() - started < max_hold:
        before = cpu_seconds(pid)
        await asyncio.sleep(SAMPLE_SECONDS)
        after = cpu_seconds(pid)
        if before is None or after is None or after - before < share * SAMPLE_SECONDS:
            break
    return time.monotonic() - started
