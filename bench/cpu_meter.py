"""CPU seconds of the processes a rush runs on, read from /proc (Linux): on a shared machine a rush's wall
time varies by half, while the CPU each side spends per event says where its cost is."""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(stat: Path) -> tuple[str, list[str]] | None:
    try:
        name, rest = stat.read_text().rsplit(")", 1)
    except (OSError, ValueError):
        return None
    return name.split("(", 1)[-1], rest.split()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by one process; 0 when it is gone."""
    found = _stat_fields(Path(f"/proc/{pid}/stat"))
    if found is None:
        return 0.0
    utime, stime = found[1][11:13]
    return (int(utime) + int(stime)) / _TICK


def database_cpu() -> float:
    """CPU seconds used so far by the local PostgreSQL server's processes (0 when it is not on this
    machine)."""
    return named_cpu("postgres")


def named_cpu(name: str) -> float:
    """CPU seconds used so far by every process of that name (``postgres``, ``redis-server``), with their
    children that have ended (a PostgreSQL backend whose connection closed is counted by its parent; the
    sum of the living ones alone went down when a server's pool closed its connections)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        found = _stat_fields(stat)
        if found is not None and found[0] == name:
            total += sum(int(x) for x in found[1][11:15]) / _TICK  # utime, stime, cutime, cstime
    return total


def machine_times() -> tuple[float, float]:
    """(all CPU time, stolen time) of the machine so far, in seconds: the steal is the time a virtual
    machine's CPUs waited for the host, which no process here can be charged for."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]) / _TICK, fields[7] / _TICK
