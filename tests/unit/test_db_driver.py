"""The direct driver path's compile cache stays bounded when a caller builds a statement per call."""

from __future__ import annotations

from sqlalchemy import column, create_engine, select, table

from ogp_app.core import db_driver


def test_statements_built_per_call_do_not_grow_the_cache_without_bound() -> None:
    engine = create_engine("postgresql+psycopg://")  # compiles for PostgreSQL; never connects
    things = table("thing", column("id"))
    kept = [select(things.c.id).where(things.c.id == n) for n in range(3 * db_driver._DRIVER_READY_MAX)]
    for statement in kept:  # kept alive: no id is reused, each is a new entry
        assert db_driver._driver_ready(engine, statement) is not None
        assert len(db_driver._DRIVER_READY) <= db_driver._DRIVER_READY_MAX
    assert db_driver._driver_ready(engine, kept[-1]) is db_driver._driver_ready(engine, kept[-1])
