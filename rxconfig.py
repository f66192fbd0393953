"""Reflex configuration, derived from the one settings object (ogp_app.settings)."""

import reflex as rx

from ogp_app.settings import get_settings, sqlalchemy_url

settings = get_settings()

config = rx.Config(
    app_name="ogp_app",
    db_url=sqlalchemy_url(settings.database_url),
    redis_url=settings.redis_url,
    cors_allowed_origins=[settings.public_origin],
    deploy_url=settings.public_base_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="jade", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
