"""What both kinds of backup share: the kind of a URL or file, the private output file, what a database
holds (tables, rows, schema revision) and where that revision stands against this code's migrations."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, column, create_engine, func, inspect, select, table
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from ogp_app.core.settings import PROJECT_ROOT, sqlalchemy_url

REVISION_TABLE = "alembic_version"
_PG_MAGIC = b"PGDMP"  # pg_dump's custom format
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore refused or failed; the message tells the operator what to do."""


class Kind(StrEnum):
    POSTGRES = "PostgreSQL"
    SQLITE = "SQLite"


def kind_of_url(database_url: str) -> Kind:
    backend = make_url(sqlalchemy_url(database_url)).get_backend_name()
    if backend == "postgresql":
        return Kind.POSTGRES
    if backend == "sqlite":
        return Kind.SQLITE
    raise BackupError(
        f"OGP_DATABASE_URL names a {backend} database; only PostgreSQL and SQLite are supported"
    )


def kind_of_file(path: Path) -> Kind | None:
    """The kind of backup by its first bytes (not its name), or None when it is neither."""
    with path.open("rb") as handle:
        start = handle.read(len(_SQLITE_MAGIC))
    if start.startswith(_PG_MAGIC):
        return Kind.POSTGRES
    if start == _SQLITE_MAGIC:
        return Kind.SQLITE
    return None


def shown_url(database_url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(database_url).render_as_string(hide_password=True)


def engine_for(database_url: str) -> Engine:
    """A plain engine without a pool: one connection for one command."""
    return create_engine(sqlalchemy_url(database_url), poolclass=NullPool)


@contextmanager
def private_file(final: Path) -> Iterator[Path]:
    """A new file beside ``final``, readable by this user only (mode 0600 whatever the umask), renamed
    onto ``final`` when the block succeeds and removed when it fails: a half-written backup never
    carries the name, and an earlier file of that name stays whole until the new one is complete."""
    folder = final.parent
    if not folder.is_dir():
        raise BackupError(
            f"folder {folder} does not exist; create it first (e.g. install -d -m 0700 {folder})"
        )
    if final.is_dir():
        raise BackupError(f"{final} is a folder; give a file name")
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{final.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        os.chmod(partial, 0o600)
        yield partial
        os.replace(partial, final)
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()


@dataclass(frozen=True)
class Contents:
    """What a database holds: rows per table (no values) and the schema revision."""

    rows: dict[str, int]
    revision: str | None

    @property
    def tables(self) -> int:
        return len(self.rows)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        return f"{self.tables} tables, {self.total_rows:,} rows, schema revision {self.revision or 'none'}"


def read_contents(connection: Connection) -> Contents:
    """Count the rows of every table in the connection's current snapshot."""
    rows = {
        name: int(connection.execute(select(func.count()).select_from(table(name))).scalar_one())
        for name in sorted(inspect(connection).get_table_names())
    }
    revision = None
    if REVISION_TABLE in rows:
        revision = connection.execute(
            select(column("version_num")).select_from(table(REVISION_TABLE))
        ).scalar()
    return Contents(rows=rows, revision=revision)


def contents_of(database_url: str) -> Contents:
    engine = engine_for(database_url)
    try:
        with engine.connect() as connection:
            return read_contents(connection)
    finally:
        engine.dispose()


def connection_refused(database_url: str, error: SQLAlchemyError) -> BackupError:
    """The driver's reason in one line (its last), and the URL without the password."""
    reason = str(getattr(error, "orig", error)).strip().splitlines()
    return BackupError(f"cannot open {shown_url(database_url)}: {reason[-1] if reason else error}")


class SchemaStatus(StrEnum):
    CURRENT = "current"  # this code's head
    OLDER = "older"  # known to this code, `ogp db upgrade` brings it to the head
    UNKNOWN = "unknown"  # made by a newer OGP (or not by OGP)


def schema_status(revision: str | None) -> tuple[SchemaStatus, str]:
    """Where ``revision`` stands against this code's migrations, and the head."""
    script = ScriptDirectory(str(PROJECT_ROOT / "alembic"))
    head = ", ".join(script.get_heads())
    if revision is not None and revision in script.get_heads():
        return SchemaStatus.CURRENT, head
    try:
        known = revision is not None and script.get_revision(revision) is not None
    except CommandError:
        known = False
    return (SchemaStatus.OLDER if known else SchemaStatus.UNKNOWN), head
