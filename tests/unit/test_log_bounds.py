"""Log records are bounded and writable: what a client sends cannot grow or break the log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from ogp_app.core import log_bounds

HUGE = "\ud800x\n\x1b[2J\r" * 200_000  # 1 MB of lone surrogates, newlines and terminal escapes


@pytest.fixture
def strict_log() -> Iterator[tuple[logging.Logger, io.BytesIO, list[str]]]:
    """A logger writing to a strict UTF-8 stream (as a file or pipe is), and logging's own complaints."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    logger = logging.getLogger("tests.log_bounds")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    complaints: list[str] = []
    original = logging.Handler.handleError
    logging.Handler.handleError = lambda self, record: complaints.append(str(record.msg)[:80])  # type: ignore[method-assign]
    previous_factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)  # importing the app (other tests) installs the bounds
    try:
        yield logger, raw, complaints
    finally:
        logging.Handler.handleError = original  # type: ignore[method-assign]
        logging.setLogRecordFactory(previous_factory)
        logger.removeHandler(handler)


def _log_everything(logger: logging.Logger) -> None:
    logger.warning("event data: %s", HUGE)
    logger.error(f"Failed to deserialize event data: {HUGE}.")
    try:
        raise TypeError(f"got an unexpected keyword argument {HUGE!s}")
    except TypeError:
        logger.exception("Error processing event queue entry for %r", {"name": HUGE})


def test_without_the_bounds_a_client_breaks_the_log(strict_log: tuple) -> None:
    """The failure the bounds prevent (if this passes no more, the test below proves nothing)."""
    logger, _raw, complaints = strict_log
    _log_everything(logger)
    assert complaints  # "--- Logging error ---" in production


def test_records_are_bounded_escaped_and_writable(strict_log: tuple) -> None:
    logger, raw, complaints = strict_log
    log_bounds.install()
    _log_everything(logger)
    assert not complaints
    text = raw.getvalue().decode("utf-8")
    assert len(text) < 3 * (log_bounds.MAX_MESSAGE_CHARS + log_bounds.MAX_TRACEBACK_CHARS) + 1000
    assert "\\ud800" in text and "\\x1b" in text and "\r" not in text and "\x1b" not in text
    assert "characters left out" in text
    assert "Traceback (most recent call last)" in text and "TypeError: got an unexpected" in text
    assert all(len(line) <= log_bounds.MAX_LINE_CHARS + 60 for line in text.splitlines())


def test_ordinary_records_are_unchanged(strict_log: tuple) -> None:
    logger, raw, _complaints = strict_log
    log_bounds.install()
    logger.warning("sent %d mails to %s", 3, "ouder@example.org")
    assert raw.getvalue().decode() == "WARNING sent 3 mails to ouder@example.org\n"


def test_install_is_idempotent(strict_log: tuple) -> None:
    log_bounds.install()
    factory = logging.getLogRecordFactory()
    log_bounds.install()
    assert logging.getLogRecordFactory() is factory
