"""OGP_LOG_FORMAT=json: each log line of a process is one JSON object with fixed keys, bounded texts,
the traceback in a field of its own, and nothing a caller slipped in through ``extra``."""

from __future__ import annotations

import json
import subprocess
import sys

from ogp_app.core.settings import PROJECT_ROOT

SCRIPT = """
import logging
from ogp_app.core import log_bounds, log_format
log_bounds.install()
log_format.install(sys.argv[1])
log = logging.getLogger("ogp_app.example")
log.warning("outbox: %d message(s) stuck", 3)
log.warning("forged\\nline\\x1b[2J", extra={"email": "ouder@example.org"})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("round failed")
log.info("below the level: not written")
logging.getLogger("_granian").warning("granian's own logger")
"""


def run(log_format: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + SCRIPT, log_format],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr.splitlines()


def test_every_line_is_one_json_object_with_fixed_keys() -> None:
    lines = run("json")
    records = [json.loads(line) for line in lines]  # every line parses on its own
    assert [r["message"] for r in records] == [
        "outbox: 3 message(s) stuck",
        "forged\nline\\x1b[2J",  # the newline stays inside the string; the escape code is escaped
        "round failed",
        "granian's own logger",
    ]
    for record in records:
        assert set(record) <= {"timestamp", "level", "logger", "message", "exception"}
        assert record["level"] == ("error" if record["message"] == "round failed" else "warning")
        assert record["timestamp"].endswith("+00:00")
    failed = records[2]
    assert failed["logger"] == "ogp_app.example"
    assert failed["exception"].startswith("Traceback (most recent call last):")
    assert failed["exception"].rstrip().endswith("ZeroDivisionError: division by zero")
    assert "ouder@example.org" not in "\n".join(lines)


def test_text_logs_stay_as_they_were() -> None:
    lines = run("text")
    assert lines[0] == "outbox: 3 message(s) stuck"
    assert not lines[0].startswith("{")
