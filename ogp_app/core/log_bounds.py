"""Log records stay bounded and writable whatever a client sends.

Reflex logs a failed event with its whole repr (name, payload, router data), and exception messages
carry a handler's arguments: 9 MB of event strings grew the log by 27 MB, and lone surrogates made each
write fail with a "--- Logging error ---" traceback. A LogRecord factory bounds every record where it is
made, whichever handler writes it (Reflex's console and JSON sinks read ``exc_info`` themselves, so the
traceback is folded into the message): control characters and surrogates are escaped, each line and
the whole record are cut to a limit that says how much was left out. stdout and stderr also escape what
they cannot encode (``print`` and anything outside logging).
"""

from __future__ import annotations

import io
import logging
import re
import sys
import traceback
from typing import Any

MAX_LINE_CHARS = 1_000
MAX_MESSAGE_CHARS = 4_000
MAX_TRACEBACK_CHARS = 8_000
# C0/C1 controls other than tab and newline (a CR or an ESC could forge or hide log lines) and lone
# surrogates (not encodable: every write of the record would fail).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(text: str) -> str:
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _cut(text: str, limit: int, *, keep_tail: int = 0) -> str:
    if len(text) <= limit:
        return text
    head = limit - keep_tail
    tail = text[len(text) - keep_tail :] if keep_tail else ""
    return f"{text[:head]}… ({len(text) - limit} characters left out)…{tail}"


def bound(text: str, limit: int = MAX_MESSAGE_CHARS, *, keep_tail: int = 0) -> str:
    """``text`` escaped, each line at most MAX_LINE_CHARS, the whole at most about ``limit``."""
    rough = _cut(text, limit * 2, keep_tail=keep_tail * 2)  # cheap first cut of a huge text
    lines = [_cut(_escape(line), MAX_LINE_CHARS) for line in rough.split("\n")]
    return _cut("\n".join(lines), limit, keep_tail=keep_tail)


# Where a bounded record keeps its parts apart (the message, then the traceback or stack, or None), for
# formatters that write them to fields of their own (``log_format``'s JSON lines).
PARTS_ATTRIBUTE = "ogp_parts"


def bound_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a broken format string: logging reports it as usual
        return
    text = bound(message)
    details: list[str] = []
    if record.exc_info and record.exc_info[0] is not None:
        formatted = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        details.append(bound(formatted, MAX_TRACEBACK_CHARS, keep_tail=MAX_TRACEBACK_CHARS // 2))
        record.exc_info = None
        record.exc_text = None
    if record.stack_info:
        details.append(bound(record.stack_info, MAX_TRACEBACK_CHARS, keep_tail=MAX_TRACEBACK_CHARS // 2))
        record.stack_info = None
    setattr(record, PARTS_ATTRIBUTE, (text, "\n".join(details) or None))
    record.msg, record.args = "\n".join([text, *details]), None


def install() -> None:
    """Bound every log record of this process (idempotent)."""
    base = logging.getLogRecordFactory()
    if getattr(base, "ogp_bounded", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        bound_record(record)
        return record

    factory.ogp_bounded = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
