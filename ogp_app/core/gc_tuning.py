"""The backend's garbage collector, set for a process that answers many small events at once.

With CPython's defaults a booking rush of 200 parents (bench/booking_rush_ws.py) spent 150-300 ms of
its 2-4 s in the collector, and a full collection stopped every event for 100-300 ms at a time: it
walks every object in the process, the app itself (about 90,000 after start-up) and every connected
browser's state. Here the objects that exist once the app has started are frozen out of collections
(they live as long as the process), young collections run on batches of 2,000 instead of 700, and a
full collection waits for a hundred middle ones instead of ten. Measured the same way: 25-30 ms in
the collector per rush, the longest pause about 15 ms.
"""

from __future__ import annotations

import gc

THRESHOLDS = (2_000, 10, 100)


async def tune_garbage_collector() -> None:
    """Lifespan task of the backend: collect once, freeze what is left, set the thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
