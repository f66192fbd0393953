"""Read a roster file in a child process with a wall-time and an address-space limit.

A hostile file can only cost the child: it runs at a lower CPU priority, is killed after READ_SECONDS,
and cannot grow past READ_MEMORY. It is a fresh interpreter (``python -m ...reader_child``) that gets the
bytes on stdin, imports only the reader, and sees no secrets of the backend's environment; the table
comes back as JSON. Blocking: the app calls it in a worker thread, so the event loop stays free.
"""

from __future__ import annotations

import json
import logging
import math
import os
import signal
import subprocess
import sys
from pathlib import Path

from ogp_app.services.roster_import import limits
from ogp_app.services.roster_import.errors import RosterFileError
from ogp_app.services.roster_import.reading import Table

log = logging.getLogger(__name__)
CHILD_MODULE = "ogp_app.services.roster_import.reader_child"
_PROJECT = Path(__file__).resolve().parents[3]
_ENV_KEPT = ("PATH", "LANG", "LC_ALL", "TMPDIR")


def read_table_isolated(data: bytes) -> Table:
    """``reading.read_table`` in a child: the same table, or the same RosterFileError; over a limit of
    the child itself, a RosterFileError naming that limit."""
    if len(data) > limits.MAX_BYTES:  # not worth a process
        raise RosterFileError(
            "too big", message_key="roster.error.file_too_large", megabytes=limits.megabytes(limits.MAX_BYTES)
        )
    env = {name: os.environ[name] for name in _ENV_KEPT if name in os.environ}
    env["PYTHONPATH"] = str(_PROJECT)
    child_limits = [str(limits.READ_MEMORY), str(math.ceil(limits.READ_SECONDS))]
    try:
        done = subprocess.run(  # noqa: S603  (our own interpreter and module; the file goes on stdin)
            [sys.executable, "-m", CHILD_MODULE, *child_limits],
            input=data,
            capture_output=True,
            timeout=limits.READ_SECONDS,
            env=env,
            cwd=_PROJECT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:  # subprocess.run has killed the child
        raise RosterFileError(
            "timeout", message_key="roster.error.read_timeout", seconds=limits.READ_SECONDS
        ) from error
    if done.returncode == -signal.SIGXCPU:
        raise RosterFileError("cpu", message_key="roster.error.read_timeout", seconds=limits.READ_SECONDS)
    if done.returncode != 0:  # out of memory, or killed by the kernel
        log.warning("roster reader child failed (%s): %s", done.returncode, done.stderr[-2000:])
        raise RosterFileError(
            "child failed",
            message_key="roster.error.read_memory",
            megabytes=limits.megabytes(limits.READ_MEMORY),
        )
    answer = json.loads(done.stdout)
    if "error" in answer:
        raise RosterFileError("in child", message_key=answer["error"]["key"], **answer["error"]["values"])
    return Table(**answer["table"])
