"""``OGP_LOG_FORMAT=json``: every log line one JSON object, for the operator's log collector.

The keys are those of Reflex's own JSON lines (``REFLEX_LOG_JSON``, switched on beside this by
rxconfig.py), so one parser reads the whole log: ``timestamp`` (UTC, ISO 8601), ``level`` (lower case),
``logger``, ``message`` and, when there is one, ``exception`` (the traceback). Nothing else of a record
is written: values a caller passes in ``extra`` stay out. The texts are those ``log_bounds`` made
(escaped, cut to size). Only the format changes here; which levels are written stays as it was.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from ogp_app.core.log_bounds import PARTS_ATTRIBUTE

# granian configures these in each worker with handlers of their own, which do not reach the root.
_OWN_HANDLERS = ("_granian", "granian.access")


class JsonLines(JsonFormatter):
    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        parts = getattr(record, PARTS_ATTRIBUTE, None)
        if parts is not None:
            message, exception = parts
        else:  # a record made before log_bounds was installed
            message = record.message
            exception = message_dict.get("exc_info") or message_dict.get("stack_info")
        log_data["timestamp"] = datetime.fromtimestamp(record.created, UTC).isoformat()
        log_data["level"] = record.levelname.lower()
        log_data["logger"] = record.name
        log_data["message"] = message
        if exception:
            log_data["exception"] = exception


def install(log_format: str) -> None:
    """Write this process's log records as JSON lines when ``log_format`` is "json" (idempotent)."""
    if log_format != "json":
        return
    formatter = JsonLines()
    root = logging.getLogger()
    if not root.handlers:  # the backend has none: records went to logging.lastResort (stderr)
        root.addHandler(logging.StreamHandler(sys.stderr))
    for name in (None, *_OWN_HANDLERS):
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
