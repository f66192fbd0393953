"""A backend worker that dies is restarted by the server itself (granian, which ``reflex run --env prod``
runs in its own process as the supervisor of its workers).

granian has the option (``respawn_failed_workers``; it gives up on a crash loop, a worker dying again
within 5.5 s of its restart), but Reflex 0.10.1 builds granian's server without passing it, and
granian's default is off: one ``kill -9`` of the worker stopped the whole app. rxconfig.py, which the
``reflex`` command imports before it starts the server, turns the option on through
:func:`respawn_failed_workers`, unless ``OGP_RESPAWN_FAILED_WORKERS=false`` (another process manager
restarts the app). The page's websocket reconnects by itself to the new worker.
"""

from __future__ import annotations

import functools
from typing import Any


def respawn_failed_workers() -> None:
    """Make granian's servers respawn failed workers unless told otherwise. Idempotent."""
    from granian.server import MPServer, MTServer

    for server in (MPServer, MTServer):
        init = server.__init__
        if getattr(init, "_ogp_respawn", False):
            continue

        @functools.wraps(init)
        def respawning_init(self: Any, *args: Any, _init: Any = init, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            _init(self, *args, **kwargs)

        respawning_init._ogp_respawn = True  # type: ignore[attr-defined]
        server.__init__ = respawning_init  # type: ignore[method-assign]
