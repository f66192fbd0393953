"""Reflex configuration, derived from the one settings object (ogp_app.core.settings)."""

import reflex as rx
from reflex_base.utils import log as reflex_log

from ogp_app.core.serving import respawn_failed_workers
from ogp_app.core.settings import get_settings, sqlalchemy_url

settings = get_settings()
if settings.respawn_failed_workers:
    respawn_failed_workers()  # granian restarts a backend worker that dies (see ogp_app/core/serving.py)
if settings.log_format == "json":
    # Reflex's own log lines as JSON too (the same keys as ours, ogp_app/core/log_format.py); the
    # reflex command reads this file before it starts the workers, which inherit the mode.
    reflex_log.set_json_mode(True)

# Page states live in Redis with OGP_REDIS_URL (several backend processes), else in the memory of the
# one process Reflex then runs. Reflex's default wrote every page's state, children's names included,
# to .states/*.pkl on disk and read them back, which also cost the rush time on every event.
_STATES = rx.constants.StateManagerMode

config = rx.Config(
    app_name="ogp_app",
    db_url=sqlalchemy_url(settings.database_url),
    redis_url=settings.redis_url,
    cors_allowed_origins=[settings.public_origin],
    deploy_url=settings.public_base_url,
    # The built pages dial the websocket and post uploads here: the public origin, also behind a reverse
    # proxy. Reflex's default is the port the app itself listens on, which a proxy does not expose.
    api_url=settings.public_origin,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="jade", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    state_manager_mode=_STATES.REDIS if settings.redis_url else _STATES.MEMORY,
    # Reflex warns per event once a state lock was held over this long (ms; its default 1 s). In a rush
    # events queue behind each other for over a second, and the warnings (one per event) took 8.5 % of a
    # worker's CPU. Half the lock's lifetime (10 s) still warns well before a stuck lock expires.
    redis_lock_warning_threshold=5000,
)
