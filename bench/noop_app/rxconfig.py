"""The minimal Reflex app the websocket rush bench measures beside OGP (bench/booking_rush_ws.py --start):
the same Reflex, production build, state in memory like OGP's one-worker run."""

import reflex as rx

config = rx.Config(
    app_name="noop_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    state_manager_mode=rx.constants.StateManagerMode.MEMORY,
)
