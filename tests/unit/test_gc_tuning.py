"""The backend freezes what it has loaded and collects young objects in larger batches (core/gc_tuning)."""

from __future__ import annotations

import json
import subprocess
import sys

from ogp_app.core.gc_tuning import THRESHOLDS, tune_garbage_collector
from ogp_app.ogp_app import app

_PROBE = """
import asyncio, gc, json
from ogp_app.core.gc_tuning import tune_garbage_collector
before = [gc.get_threshold(), gc.get_freeze_count()]
asyncio.run(tune_garbage_collector())
print(json.dumps([before, [gc.get_threshold(), gc.get_freeze_count()]]))
"""


def test_the_task_freezes_the_loaded_objects_and_sets_the_thresholds() -> None:
    # in a fresh interpreter: the test process keeps its own collector as it is
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True).stdout
    (threshold_before, frozen_before), (threshold_after, frozen_after) = json.loads(out)
    assert frozen_before == 0 and threshold_before == [700, 10, 10]
    assert threshold_after == list(THRESHOLDS)
    assert frozen_after > 1_000  # the modules, the models, the settings: all that was loaded


def test_the_backend_runs_it_at_start() -> None:
    assert tune_garbage_collector in app._lifespan_tasks
