"""Reflex configuration. Everything that varies between machines comes from the app's own settings."""

import reflex as rx

from resolution_app.infra.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="resolution_app",
    telemetry_enabled=False,
    backend_host="127.0.0.1",
    api_url=settings.public_api_url,
    cors_allowed_origins=settings.origins,
    show_built_with_reflex=False,
    # One backend process keeps tab states in memory (expired like any other); writing each state to disk after
    # every event cost ~5% of a page load and kept nothing a reconnecting tab doesn't rebuild. Several workers
    # share states through Redis instead (REFLEX_REDIS_URL).
    state_manager_mode="redis" if settings.reflex_redis_url else "memory",
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
