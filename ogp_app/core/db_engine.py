"""The engine: SQLite with foreign keys on; PostgreSQL with plans that last and cheap checkouts.

PostgreSQL connections prepare each statement on its second run and plan it once for all parameters
(``postgres_connect_args``), and keep those plans across transactions (``_rollback_keeping_plans``).
A pooled connection is pinged before use only when it has sat idle (``_ping_if_idle``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from ogp_app.core.settings import get_settings, sqlalchemy_url

# A connection idle longer than this is pinged at checkout (a server restart or a dropped TCP connection
# shows there, not in a user's request); in a busy minute connections come back within milliseconds
# and skip the round trip.
PING_AFTER_IDLE_SECONDS = 10.0
_IDLE_SINCE = "ogp_idle_since"
# Times come back in UTC, as they are stored, whatever the server's default zone (UTCDateTime then
# has nothing to convert); wall clocks are the app's business (services.rounds.clock).
_UTC = "-c TimeZone=UTC"


def make_engine(database_url: str, **pool: Any) -> Engine:
    """Build an engine; SQLite gets foreign keys on and its folder created. ``pool``: create_engine's
    pool arguments instead of a fixed pool of ``database_pool_size`` (a request that finds every
    connection in use waits for one rather than opening and closing one of its own)."""
    if not {"pool_size", "max_overflow", "poolclass"} & pool.keys():
        pool = {"pool_size": get_settings().database_pool_size, "max_overflow": 0} | pool
    url = sqlalchemy_url(database_url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    engine = create_engine(url, **({"connect_args": postgres_connect_args()} | pool))
    if "pool_pre_ping" not in pool:  # a caller choosing pre-ping (or none) gets that instead
        _ping_when_idle(engine)
    if get_settings().database_prepared_statements:
        engine.dialect.do_rollback = _rollback_keeping_plans  # type: ignore[method-assign]
    return engine


def postgres_connect_args() -> dict[str, Any]:
    """psycopg arguments: with prepared statements on, a statement is prepared on its second run on a
    connection (one-off statements are not) and PostgreSQL plans it once for all parameters. Every query
    here looks rows up by key within one school, where a generic plan is as good as a custom one, and
    a custom plan of the booking's joins costs five times its execution."""
    if not get_settings().database_prepared_statements:
        return {"prepare_threshold": None, "options": _UTC}
    return {"prepare_threshold": 1, "options": f"{_UTC} -c plan_cache_mode=force_generic_plan"}


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout when it sat idle; a dead one raises DisconnectionError, and
    the pool drops it and checks out another."""
    dialect = engine.dialect

    def note_idle(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # new, or back in the pool moments ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError(str(error)) from error

    event.listen(engine, "checkin", note_idle)
    event.listen(engine, "checkout", ping_if_idle)


def _rollback_keeping_plans(dbapi_connection: Any) -> None:
    """End a transaction with a plain ROLLBACK. psycopg's rollback() also forgets every prepared statement
    (and DEALLOCATEs them on the server) in case the transaction dropped what they read; only migrations
    run DDL here, and psycopg still forgets them after any DROP or ALTER it runs. Every session that only
    read ends with a rollback, so without this no plan would outlive a request."""
    pgconn = dbapi_connection.pgconn
    if pgconn.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        return
    result = pgconn.exec_(b"ROLLBACK")
    if result.status != psycopg.pq.ExecStatus.COMMAND_OK:
        raise psycopg.OperationalError(f"ROLLBACK failed: {pgconn.error_message.decode(errors='replace')}")
