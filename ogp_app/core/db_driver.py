"""Hot statements straight through psycopg, compiled once: the engine's work per call (the cache key of
a large statement, an execution context, result rows, setting and resetting an isolation level) cost
twice the driver's in the booking rush. Parameters are converted by the statement's own bind processors
(UTCDateTime refuses a naive time here too) and errors come as SQLAlchemy's. Only on PostgreSQL; on
SQLite, and for a statement whose SQL depends on its parameters, the engine runs them as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection, exc
from sqlalchemy.engine import Engine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler

from ogp_app.core.utc import aware_in_utc

_Ready = tuple[str, dict[str, Any], dict[str, Callable[[Any], Any]]]
# Per statement id and dialect: the statement itself (an id is reused once its object is gone) and its
# SQL, constants and bind processors. Meant for module-level statements; a caller building one per call
# would fill it, so it is emptied when it holds more than _DRIVER_READY_MAX.
_DRIVER_READY: dict[tuple[int, str], tuple[Executable, _Ready]] = {}
_DRIVER_READY_MAX = 256


def write_alone(engine: Engine, statement: Executable, params: dict[str, Any]) -> Any:
    """Run one statement as its own transaction (autocommit) on a pooled connection and return the first
    column of its first row."""
    rows = _alone(engine, statement, params)
    return rows[0][0] if rows else None


def read_alone(engine: Engine, statement: Executable, params: dict[str, Any]) -> Sequence[Any]:
    """All rows of one query run on its own (autocommit: no BEGIN and ROLLBACK round trips) on a pooled
    connection, as named tuples (like the engine's rows: by position or by column name)."""
    return _alone(engine, statement, params)


def _alone(engine: Engine, statement: Executable, params: dict[str, Any]) -> Sequence[Any]:
    ready = _driver_ready(engine, statement)
    if ready is None:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            return connection.execute(statement, params).all()
    pooled = engine.raw_connection()
    try:
        driver = pooled.driver_connection
        assert isinstance(driver, psycopg.Connection)
        driver.autocommit = True
        try:
            return _fetch(driver, ready, params)
        except exc.DBAPIError as error:
            if engine.dialect.is_disconnect(cast(Any, error.orig), cast(Any, driver), None):
                pooled.invalidate(error)
            raise
        finally:
            if not driver.closed:
                driver.autocommit = False
    finally:
        pooled.close()


def read_rows(connection: Connection, statement: Executable, params: dict[str, Any]) -> Sequence[Any]:
    """All rows of a query in the connection's transaction, as named tuples (like the engine's rows:
    by position or by column name). The values are the driver's: times come as aware UTC datetimes on
    the app's connections (TimeZone=UTC), as UTCDateTime would give them."""
    ready = _driver_ready(connection.engine, statement)
    if ready is None:
        return connection.execute(statement, params).all()
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    return _fetch(driver, ready, params)


def _fetch(driver: psycopg.Connection[Any], ready: _Ready, params: dict[str, Any]) -> Sequence[Any]:
    """Run the compiled statement with its parameters converted; its rows, or SQLAlchemy's error."""
    sql, constants, processors = ready
    values = constants | params
    for name, process in processors.items():
        values[name] = process(values[name])
    try:
        with driver.cursor(row_factory=namedtuple_row) as cursor:
            return cursor.execute(sql, values).fetchall()
    except psycopg.Error as error:
        raise exc.DBAPIError.instance(sql, values, error, psycopg.Error) from error


def _driver_ready(engine: Engine, statement: Executable) -> _Ready | None:
    """The statement compiled for psycopg, or None where the engine must run it: on SQLite, for a
    statement whose SQL depends on its parameters, and for one whose rows need converting (only UTC
    times are passed through as the driver gives them, see UTCDateTime)."""
    if engine.dialect.name != "postgresql":
        return None
    key = (id(statement), engine.dialect.name)
    cached = _DRIVER_READY.get(key)
    if cached is not None and cached[0] is statement:
        return cached[1]
    compiled = cast(SQLCompiler, cast(ClauseElement, statement).compile(dialect=engine.dialect))
    sql = str(compiled)
    if "POSTCOMPILE" in sql or any(
        column.type._cached_result_processor(engine.dialect, None) not in (None, aware_in_utc)
        for column in compiled._result_columns
    ):
        return None
    processors: dict[str, Callable[[Any], Any]] = {
        name: cast(Callable[[Any], Any], process)
        for name, process in compiled._bind_processors.items()  # the engine applies these itself
        if callable(process)
    }
    ready = (sql, dict(compiled.params), processors)
    if len(_DRIVER_READY) >= _DRIVER_READY_MAX:
        _DRIVER_READY.clear()
    _DRIVER_READY[key] = (statement, ready)
    return ready
