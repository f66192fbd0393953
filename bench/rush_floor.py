"""The booking service's own CPU per /book rush event, in this process without Reflex: the floor part of
bench/booking_rush_ws.py's ``floor_ratio`` that no framework can take away.

A bench school of its own; every parent's page is read first (not timed). Then the closed loop's rush is
replayed on one thread with the same functions /book's ``pick`` and ``choose`` call (``_slots_of``,
``_book_or_reload``), parents taking turns one event at a time: all pick, then all choose from the grid
they were shown, so the stale grids lose races as the websocket rush's do. No authorization (that is
ours, not the floor): each call gets the parent's identity and the school's session, as ``run_call`` does.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

from rush_school import scoped, seed

from ogp_app.core.db import get_engine, school_session
from ogp_app.pages.family.book.state import _book_or_reload, _Lost, _Page, _page_of, _slots_of
from ogp_app.services.auth.sessions import Identity, create_session, resolve_session
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import Call


def _call(identity: Identity) -> Call:
    school_id = identity.school_id
    assert school_id is not None
    return Call(lambda: school_session(school_id), identity=identity)


def _parent(
    identity: Identity, page: _Page, rng: random.Random, choice: int, counts: dict[str, int]
) -> Iterator[None]:
    """One parent as bench/booking_rush_ws.Parent books: yields after each event (pick or choose)."""
    for meeting in [m for m in page.meetings if m.open and not m.booked]:
        ids = page.ids[meeting.key]
        with _call(identity) as call:
            shown = _slots_of(call, ids)
        counts["events"] += 1
        yield
        for _attempt in range(50):
            if not shown.slots:
                break
            preferred = [s for s in shown.slots if s["suggested"]] or shown.slots
            slot_id = shown.ids[rng.choice(preferred[:choice])["key"]]
            with _call(identity) as call:
                try:
                    booked = _book_or_reload(call, ids, slot_id, "")
                except DomainError:  # e.g. the family's gap: the page shows the times still free
                    booked = _Lost(_slots_of(call, ids))
            counts["events"] += 1
            yield
            if not isinstance(booked, _Lost):
                break
            counts["lost"] += 1
            shown = booked.slots


def service_cpu_per_event(parents: int, class_size: int, choice: int) -> tuple[float, int, int]:
    """(CPU ms per event of the replayed rush, events, lost races), after a small replay that warms this
    process's caches (compiled statements, pool) as a server's are warm by the rush."""
    _replay(min(parents, 20), class_size, choice)
    return _replay(parents, class_size, choice)


def _replay(parents: int, class_size: int, choice: int) -> tuple[float, int, int]:
    _round_id, admin, families = seed(get_engine(), parents, class_size)
    with scoped(get_engine(), None) as db:
        tokens = [create_session(db, user_id=a.user_id, school_id=admin.school_id) for a, _ in families]
    identities = [resolve_session(t) for t in tokens]
    counts = {"events": 0, "lost": 0}
    crowd = []
    for i, identity in enumerate(identities):
        assert identity is not None
        with _call(identity) as call:  # the page, read before the rush (not timed)
            page = _page_of(call)
        crowd.append(_parent(identity, page, random.Random(i), choice, counts))
    t0 = time.process_time()
    while crowd:  # one event of each parent in turn
        crowd = [p for p in crowd if next(p, StopIteration) is not StopIteration]
    cpu = time.process_time() - t0
    return 1000 * cpu / max(counts["events"], 1), counts["events"], counts["lost"]
