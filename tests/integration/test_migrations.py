"""Migrations build the schema from empty and match the models exactly (no drift)."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import ogp_app.models  # noqa: F401
from alembic import command
from ogp_app.cli import alembic_config
from ogp_app.core.db import get_engine, make_engine
from ogp_app.core.settings import PROJECT_ROOT


def test_migrated_database_matches_models() -> None:
    """The test database was built by `alembic upgrade head` (conftest): no difference may remain."""
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_every_model_table_exists_after_upgrade() -> None:
    tables = set(inspect(get_engine()).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_upgrade_downgrade_upgrade_on_empty_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        cfg.attributes["configure_logger"] = False
        command.upgrade(cfg, "head")
        command.downgrade(cfg, "base")
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        command.upgrade(cfg, "head")
        assert set(SQLModel.metadata.tables) <= set(inspect(connection).get_table_names())


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind; PostgreSQL only when the suite runs on it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.sqlite3'}"
        return
    if get_engine().dialect.name != "postgresql":
        pytest.skip("PostgreSQL run only (set OGP_TEST_DATABASE_URL)")
    name = f"ogp_cli_{secrets.token_hex(4)}"
    admin = get_engine().execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield get_engine().url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_cli_upgrade_demo_and_plain_alembic_check_on_empty_database(empty_database_url: str) -> None:
    """The operator path: `ogp db upgrade`, `ogp demo` twice, `alembic check`, all on OGP_DATABASE_URL."""
    env = {"OGP_DATABASE_URL": empty_database_url, "OGP_ENV": "development", "PATH": ""}
    bin_dir = Path(sys.executable).parent

    def run(*args: str) -> str:
        done = subprocess.run(args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(str(bin_dir / "ogp"), "db", "upgrade")
    first = run(str(bin_dir / "ogp"), "demo")
    second = run(str(bin_dir / "ogp"), "demo")
    run(str(bin_dir / "alembic"), "check")
    assert re.search(r", [1-9][0-9]* rows created\)", first)  # roster and demo round grow this number
    assert "0 rows created" in second
