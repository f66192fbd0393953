"""The one settings object of the application, read from ``OGP_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ogp_app.core.websocket_limits import parse_networks

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "ogp.sqlite3"
# Known placeholder secrets: refused outside development.
DEFAULT_SECRET_KEYS = frozenset({"", "change-me", "development-only-secret-key"})
MIN_METRICS_TOKEN_CHARS = 32  # a bearer token sent with every scrape: long and random, not a password


class InsecureSettingsError(RuntimeError):
    """Raised when the settings would run the application with a known or empty secret."""


class Settings(BaseSettings):
    """Everything configurable about one OGP installation."""

    model_config = SettingsConfigDict(env_prefix="OGP_", extra="ignore")

    env: Literal["production", "development", "test"] = "production"
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # PostgreSQL: each statement is prepared once per connection and planned once, generically. Planning
    # the booking's joins costs 5 ms, its execution under 1 ms (bench/booking_rush.py). Turn off behind
    # a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    database_prepared_statements: bool = True
    # Connections per backend process, all kept open: SQLAlchemy's default pool (5, and 10 more for a
    # burst) closed the extra ones as they came back, and each new one had to plan everything anew.
    database_pool_size: int = Field(default=10, ge=1)
    secret_key: SecretStr = SecretStr("development-only-secret-key")
    public_base_url: str = "http://localhost:3000"
    default_language: Literal["nl", "en"] = "nl"

    session_cookie_name: str = "ogp_session"
    session_idle_hours: int = 12
    session_absolute_days: int = 30

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    mail_from: str = "Oudergesprekplanner <no-reply@localhost>"

    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = None
    # Billing: a yearly subscription per school, priced per pupil with a minimum (cents, excl. BTW).
    billing_price_per_pupil_cents: int = 400
    billing_minimum_cents: int = 30000
    billing_vat_percent: int = 21
    billing_trial_days: int = 30
    billing_grace_days: int = 14
    # The supplier on every invoice (Dutch invoices name the supplier with address, KvK and BTW number).
    billing_supplier_name: str = "Oudergesprekplanner"
    billing_supplier_address: str = "Voorbeeldstraat 1"
    billing_supplier_postal_code: str = "1234 AB"
    billing_supplier_city: str = "Utrecht"
    billing_supplier_kvk: str = "00000000"
    billing_supplier_vat: str = "NL000000000B01"
    billing_supplier_email: str = "facturen@localhost"
    billing_supplier_iban: str = ""
    # The sub-processors named in the processor agreement's privacybijsluiter ("Name, country").
    agreement_hosting: str = ""
    agreement_mail_provider: str = ""

    oidc_redirect_path: str = "/api/auth/oidc/callback"
    oidc_allow_insecure_http: bool = False
    oidc_allow_private_network: bool = False  # a provider on localhost or the LAN (tests, intranets)
    # Video links (services/rounds/online) to a host on the LAN or an address that is not public: a video
    # service inside the school's own network. Off: such a link would only work inside one building.
    video_allow_private_network: bool = False

    redis_url: str | None = None
    # granian restarts a backend worker that dies (ogp_app/core/serving.py); false: a process manager does
    respawn_failed_workers: bool = True

    # Mail and reminder rounds wait while the backend uses more than this share of a core (backend_load):
    # 0.5 suits the 2-core machines measured; tests set it lower, so a busy test process counts as busy
    # even when other processes leave it a third of a core.
    background_busy_cpu_share: float = Field(default=0.5, gt=0, le=1)

    # The websocket (ogp_app.websocket_guard): events per connection, per session cookie and per client
    # address, each a token bucket (burst, then so many a second); anonymous connections share their
    # address's. Real pages send 1-3 events per load and one per tap (core/websocket_limits.py).
    # Per backend process: with N workers an address may send N times as much.
    websocket_event_burst: int = Field(default=60, ge=1)
    websocket_events_per_second: float = Field(default=10, gt=0)
    websocket_session_event_burst: int = Field(default=120, ge=1)
    websocket_session_events_per_second: float = Field(default=20, gt=0)
    # Generous: a school's network or a phone carrier puts many parents behind one address.
    websocket_address_event_burst: int = Field(default=600, ge=1)
    websocket_address_events_per_second: float = Field(default=100, gt=0)
    websocket_max_pending_events: int = Field(default=20, ge=1)  # queued or running, per connection
    # The largest real event is the staff's privacy-statement form (2 x 50,000 characters of text).
    websocket_max_event_bytes: int = Field(default=256 * 1024, ge=1024)
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks); none by
    # default, so a client cannot pick the address it is counted under.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # GET /api/metrics for the operator's Prometheus (deploy/metrics.md): answered only to these client
    # addresses or networks (comma-separated; X-Forwarded-For counts only from a trusted proxy) or to
    # "Authorization: Bearer <token>"; with neither set the route does not exist (404).
    metrics_allowed_addresses: Annotated[list[str], NoDecode] = Field(default_factory=list)
    metrics_token: SecretStr | None = None
    # "json": every log line one JSON object (timestamp, level, logger, message, exception).
    log_format: Literal["text", "json"] = "text"

    @field_validator("trusted_proxies", "metrics_allowed_addresses", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            parse_networks(value)  # a typo must stop the start, not trust nobody silently
        return value

    @field_validator("metrics_token", mode="after")
    @classmethod
    def _long_metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_METRICS_TOKEN_CHARS:
            raise ValueError(f"OGP_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_CHARS} characters long")
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "development" and self.secret_key.get_secret_value() in DEFAULT_SECRET_KEYS:
            raise InsecureSettingsError(
                "OGP_SECRET_KEY is empty or a known default; set a long random value "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if len(self.secret_key.get_secret_value()) < 32 and self.env != "development":
            raise InsecureSettingsError("OGP_SECRET_KEY must be at least 32 characters long.")
        return self

    @property
    def public_origin(self) -> str:
        """Scheme, host and port of the public URL: the only origin allowed to talk to the backend."""
        parts = urlsplit(self.public_base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def cookie_secure(self) -> bool:
        """Mark cookies Secure whenever the app is served over HTTPS."""
        return self.public_base_url.startswith("https://")

    @property
    def stripe_enabled(self) -> bool:
        """Billing talks to Stripe only with both keys; otherwise it runs locally (``make run``)."""
        return bool(self.stripe_secret_key and self.stripe_webhook_secret)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (cached; tests clear the cache to change them)."""
    return Settings()


def sqlalchemy_url(database_url: str) -> str:
    """Map ``postgresql://`` onto the psycopg 3 driver we ship; other URLs pass unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    return database_url
