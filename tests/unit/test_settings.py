"""The one settings object: defaults, refusal of default secrets, and what rxconfig takes from it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator

import pytest

from ogp_app.core.settings import PROJECT_ROOT, InsecureSettingsError, Settings, get_settings, sqlalchemy_url

STRONG = "k" * 48


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("OGP_ENV", "OGP_SECRET_KEY", "OGP_DATABASE_URL", "OGP_PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize("env", ["production", "test"])
@pytest.mark.parametrize("secret", [None, "", "change-me", "development-only-secret-key", "short-secret"])
def test_default_or_weak_secret_refused_outside_development(
    fresh_settings: pytest.MonkeyPatch, env: str, secret: str | None
) -> None:
    fresh_settings.setenv("OGP_ENV", env)
    if secret is not None:
        fresh_settings.setenv("OGP_SECRET_KEY", secret)
    with pytest.raises(InsecureSettingsError, match="OGP_SECRET_KEY"):
        Settings()


def test_development_accepts_the_default_secret(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("OGP_ENV", "development")
    assert Settings().env == "development"


def test_production_is_the_default_environment(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("OGP_SECRET_KEY", STRONG)
    settings = Settings()
    assert settings.env == "production"
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'ogp.sqlite3'}"
    assert settings.database_url.startswith("sqlite:////")  # absolute path, whatever the cwd


def test_postgresql_urls_use_the_psycopg3_driver() -> None:
    assert sqlalchemy_url("postgresql://u@h:5432/d") == "postgresql+psycopg://u@h:5432/d"
    assert sqlalchemy_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert sqlalchemy_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_public_origin_and_secure_cookies(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("OGP_SECRET_KEY", STRONG)
    fresh_settings.setenv("OGP_PUBLIC_BASE_URL", "https://ogp.example.nl/app")
    settings = Settings()
    assert settings.public_origin == "https://ogp.example.nl"
    assert settings.cookie_secure is True


def test_rxconfig_takes_database_cors_and_redis_from_settings(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("OGP_SECRET_KEY", STRONG)
    fresh_settings.setenv("OGP_PUBLIC_BASE_URL", "https://ogp.example.nl")
    fresh_settings.setenv("OGP_DATABASE_URL", "postgresql://ogp@db/ogp")
    fresh_settings.setenv("OGP_REDIS_URL", "redis://127.0.0.1:6379")
    sys.modules.pop("rxconfig", None)
    rxconfig = importlib.import_module("rxconfig")
    try:
        assert rxconfig.config.db_url == "postgresql+psycopg://ogp@db/ogp"
        assert list(rxconfig.config.cors_allowed_origins) == ["https://ogp.example.nl"]
        assert rxconfig.config.redis_url == "redis://127.0.0.1:6379"
        assert rxconfig.config.state_manager_mode == "redis"  # page states in Redis, not on disk
        assert rxconfig.config.telemetry_enabled is False
        assert rxconfig.config.show_built_with_reflex is False
    finally:
        sys.modules.pop("rxconfig", None)
