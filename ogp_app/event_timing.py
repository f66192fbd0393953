"""Every page event timed for the operator's metrics (``ogp_page_event_seconds{handler}``).

In Reflex 0.10.1 every event, whether a socket sent it, a page load queued it or a handler chained it,
runs as one task of ``EventProcessor._process_event_queue_entry``: it sets the event's context and
runs the handler, the state lock (Redis with several workers) and the delta sent back included. That
method is wrapped once, here, for the class, so the processor each worker creates at start-up is timed.

The label is the handler's own ``StateClass.method``, computed once per registered event name (names
reach this point only when registered, so they are bounded by the code). The wrapper's cost per
event is printed by ``bench/metrics_overhead.py``.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Any

from reflex_base.event.processor.event_processor import EventProcessor
from reflex_base.registry import RegisteredEventHandler

from ogp_app.core.metrics import PAGE_EVENT_ERRORS, PAGE_EVENT_SECONDS

Process = Callable[..., Awaitable[None]]


def handler_label(registered: RegisteredEventHandler) -> str:
    """``BookState.book_slot``: the state class the handler runs on, and the handler's name."""
    state = registered.states[0].__name__ if registered.states else "app"
    return f"{state}.{registered.handler.fn.__name__}"


class _Instruments:
    """The labelled histogram and error counter of each event name, made on first use."""

    def __init__(self) -> None:
        self._by_event: dict[str, tuple[Any, Any]] = {}

    def for_event(self, name: str, registered: RegisteredEventHandler) -> tuple[Any, Any]:
        found = self._by_event.get(name)
        if found is None:
            label = handler_label(registered)
            found = self._by_event[name] = (PAGE_EVENT_SECONDS.labels(label), PAGE_EVENT_ERRORS.labels(label))
        return found


def timed(process: Process) -> Process:
    """``process`` (the processor's per-event method) observed per handler: its time on success or
    error; a cancelled event (its page went away) is not a latency."""
    instruments = _Instruments()

    @functools.wraps(process)
    async def timed_process(
        self: EventProcessor, *, entry: Any, registered_handler: RegisteredEventHandler
    ) -> None:
        started = perf_counter()
        try:
            await process(self, entry=entry, registered_handler=registered_handler)
        except asyncio.CancelledError:
            raise
        except BaseException:
            seconds, errors = instruments.for_event(entry.event.name, registered_handler)
            errors.inc()
            seconds.observe(perf_counter() - started)
            raise
        seconds, _errors = instruments.for_event(entry.event.name, registered_handler)
        seconds.observe(perf_counter() - started)

    timed_process._ogp_timed = True  # type: ignore[attr-defined]
    return timed_process


def install() -> None:
    """Time every event of every event processor of this process (idempotent)."""
    current = EventProcessor._process_event_queue_entry
    if getattr(current, "_ogp_timed", False):
        return
    EventProcessor._process_event_queue_entry = timed(current)  # type: ignore[method-assign,assignment]
