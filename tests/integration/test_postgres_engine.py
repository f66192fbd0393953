"""PostgreSQL: statements stay prepared (planned once) across transactions, a rollback still undoes
everything (the engine ends transactions with its own ROLLBACK: psycopg's would forget every plan), and
a connection that died while idle in the pool is replaced without the user seeing an error. Times come
back in UTC, the pool keeps its connections, and a statement run alone (straight through psycopg) is
converted and recovered from like one the engine runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlmodel import Session, select

from ogp_app.core import db as ogp_db
from ogp_app.core import db_driver, db_engine
from ogp_app.core.db import school_session, unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import School
from ogp_app.models.base import UTCDateTime
from tests.support.factories import Factory

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if ogp_db.get_engine().dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (set OGP_TEST_DATABASE_URL)")


def _prepared(connection: Connection) -> set[str]:
    return set(connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars())


def test_a_statement_stays_prepared_after_a_read_only_session(factory: Factory) -> None:
    school = factory.school()
    assert school.id is not None
    for _ in range(2):  # prepared on its second run on a connection
        with school_session(school.id) as db:
            db.exec(select(School).where(School.id == school.id)).one()
    engine = ogp_db.get_engine()
    # each session above ended in a rollback; the pool hands out the connection they used last
    with engine.connect() as connection:
        kept = [s for s in _prepared(connection) if s.startswith("SELECT school.id")]
    assert kept, "the plan was forgotten when the read-only session rolled back"


def test_a_rollback_still_undoes_writes_and_leaves_the_connection_usable(factory: Factory) -> None:
    school = factory.school()
    with unscoped() as db:
        db.exec(select(School)).all()
        db.execute(text("UPDATE school SET name = 'Weggegooid' WHERE id = :id"), {"id": school.id})
        db.rollback()
        assert db.get(School, school.id).name != "Weggegooid"  # type: ignore[union-attr]
        with pytest.raises(IntegrityError):  # a failed transaction: rolled back, the session goes on
            db.execute(text("INSERT INTO school (id, name, slug) VALUES (:id, 'x', 'x')"), {"id": school.id})
        db.rollback()
        assert db.exec(select(School.name).where(School.id == school.id)).one() == school.name


def test_a_connection_that_died_while_idle_is_replaced_unnoticed(monkeypatch: pytest.MonkeyPatch) -> None:
    url = ogp_db.get_engine().url
    engine = db_engine.make_engine(url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    try:
        with engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False)) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        monkeypatch.setattr(db_engine, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if it sat idle a while
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()


def test_times_come_back_in_utc_whatever_zone_the_server_defaults_to(factory: Factory) -> None:
    url = ogp_db.get_engine().url.update_query_dict({"options": "-c TimeZone=Europe/Amsterdam"})
    engine = db_engine.make_engine(url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    school = factory.school()
    try:
        with Session(engine) as db:
            assert db.execute(text("SHOW TimeZone")).scalar() == "UTC"
            created = db.exec(select(School.created_at).where(School.id == school.id)).one()
        assert created.tzinfo is UTC and created == school.created_at
    finally:
        engine.dispose()


def test_the_pool_keeps_its_connections_through_a_burst() -> None:
    """A burst that uses every connection gives them all back to the pool: the next burst gets the same
    ones (with their prepared plans), none closed and opened anew."""
    engine = ogp_db.get_engine()
    size = get_settings().database_pool_size

    def burst() -> set[int]:
        connections = [engine.connect() for _ in range(size)]
        try:
            return {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in connections}
        finally:
            for c in connections:
                c.close()

    first = burst()
    assert len(first) == size
    assert burst() == first


def test_a_statement_run_alone_converts_its_parameters_like_the_engine() -> None:
    engine = ogp_db.get_engine()
    statement = select(School.id).where(School.created_at > bindparam("since", type_=UTCDateTime))
    with pytest.raises((ValueError, StatementError), match="naive"):  # UTCDateTime refuses a naive time
        db_driver.write_alone(engine, statement, {"since": datetime(2026, 1, 1)})
    assert db_driver.write_alone(engine, statement, {"since": datetime.now(UTC) + timedelta(days=1)}) is None


def test_a_connection_that_dies_under_a_statement_run_alone_is_dropped_from_the_pool() -> None:
    url = ogp_db.get_engine().url
    engine = db_engine.make_engine(url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    pid_of = text("SELECT pg_backend_pid()")
    try:
        pid = db_driver.write_alone(engine, pid_of, {})
        with psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False)) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        with pytest.raises(DBAPIError):  # no ping: it came back to the pool a moment ago
            db_driver.write_alone(engine, pid_of, {})
        assert db_driver.write_alone(engine, pid_of, {}) not in (None, pid)
    finally:
        engine.dispose()
