"""Test configuration: one fresh database per run (SQLite file, or PostgreSQL via OGP_TEST_DATABASE_URL).

The environment is set before ``ogp_app`` is imported so the one settings object sees it.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import authlib.deprecate  # noqa: F401 - its global "always" warning filter must predate pytest's filters
import pytest
from hypothesis import settings as hypothesis_settings

_TMP = Path(tempfile.mkdtemp(prefix="ogp-test-"))
TEST_DATABASE_URL = os.environ.get("OGP_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'ogp-test.sqlite3'}"
TEST_SECRET_KEY = secrets.token_urlsafe(48)
os.environ.update(OGP_ENV="test", OGP_DATABASE_URL=TEST_DATABASE_URL, OGP_SECRET_KEY=TEST_SECRET_KEY)
os.environ.pop("OGP_REDIS_URL", None)
# Test data names made-up identity providers that no DNS resolves; test_sso checks the default refusal.
os.environ["OGP_OIDC_ALLOW_PRIVATE_NETWORK"] = "true"

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from ogp_app.cli import alembic_config  # noqa: E402
from ogp_app.core import db as ogp_db  # noqa: E402
from ogp_app.core.settings import get_settings  # noqa: E402
from tests.support import network_guard  # noqa: E402
from tests.support.factories import Factory  # noqa: E402
from tests.support.server import RunningApp, start_app  # noqa: E402

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

# Property tests run the real services on the database: the same examples every run (no example database
# left behind), no per-example deadline (a busy machine is no failure); each test sets its max_examples.
hypothesis_settings.register_profile("ogp", derandomize=True, deadline=None, database=None)
hypothesis_settings.load_profile("ogp")

network_guard.install()  # no test reaches the internet: connections to non-local hosts fail

pytest_plugins = [
    "tests.support.durations",  # the time per directory, printed at the end of every run
    "tests.support.smtp",  # smtp_server, smtp_port: a real SMTP server for mail tests
    "tests.support.billing",  # use_stripe, localstripe: Stripe doubles for billing tests
]


WEBSOCKET_LIMITS_OFF = {
    f"OGP_WEBSOCKET_{name}": "1000000"
    for name in [
        *["EVENT_BURST", "EVENTS_PER_SECOND", "SESSION_EVENT_BURST", "SESSION_EVENTS_PER_SECOND"],
        *["ADDRESS_EVENT_BURST", "ADDRESS_EVENTS_PER_SECOND", "MAX_PENDING_EVENTS", "MAX_EVENT_BYTES"],
    ]
}


def _reset_schema() -> None:
    engine = ogp_db.get_engine()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    from alembic import command

    command.upgrade(alembic_config(), "head")


@pytest.fixture(scope="session", autouse=True)
def migrated_database() -> Iterator[str]:
    """Build the schema once per run through the real migrations."""
    get_settings.cache_clear()
    ogp_db.reset_engine()
    _reset_schema()
    yield TEST_DATABASE_URL
    ogp_db.reset_engine()


def wipe_all_rows() -> None:
    with ogp_db.get_engine().begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def clean_db() -> Iterator[None]:
    """An empty database for this test (rows of earlier tests removed)."""
    wipe_all_rows()
    yield


@pytest.fixture
def factory(clean_db: None) -> Iterator[Factory]:
    with ogp_db.unscoped() as session:
        yield Factory(session)


@pytest.fixture
def raw_session(clean_db: None) -> Iterator[Session]:
    with ogp_db.unscoped() as session:
        yield session


@pytest.fixture(scope="session")
def app_smtp() -> Iterator[SmtpServer]:
    """The real SMTP server the served app sends its mail to (one per run; filter by recipient)."""
    from tests.support.smtp import running_smtp  # a plugin module: import late (assertion rewriting)

    with running_smtp() as server:
        yield server


@pytest.fixture(scope="session")
def running_app(migrated_database: str, app_smtp: SmtpServer) -> Iterator[RunningApp]:
    """The production build served once per test run, on the test database, with demo log-in enabled.

    Its mail goes to ``app_smtp``; it may talk to a plain-http OIDC test provider on localhost.
    """
    app = start_app(
        database_url=migrated_database,
        secret_key=TEST_SECRET_KEY,
        ogp_env="development",
        extra_env={
            "OGP_SMTP_HOST": app_smtp.host,
            "OGP_SMTP_PORT": str(app_smtp.port),
            "OGP_SMTP_STARTTLS": "false",
            "OGP_OIDC_ALLOW_INSECURE_HTTP": "true",
            "OGP_OIDC_ALLOW_PRIVATE_NETWORK": "true",
            # The hostile-client suite calls hundreds of handlers a second from one address, and the
            # browser tests drive pages at machine speed: the flood limits have their own server
            # (tests/security/test_websocket_flood.py).
            **WEBSOCKET_LIMITS_OFF,
        },
    )
    yield app
    app.stop()
