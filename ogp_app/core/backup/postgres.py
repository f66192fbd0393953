"""PostgreSQL: pg_dump's custom format out, pg_restore in one transaction.

The dump reads the snapshot of a transaction of ours (``--snapshot``), in which the rows are counted
too: the summary printed is exactly what the file holds, while the app keeps writing. The password
never goes on a command line (``ps`` shows those): the tools get the URL's other parts as a conninfo
and the password in a passfile of their own (mode 0600, deleted afterwards).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ogp_app.core.backup.common import (
    REVISION_TABLE,
    BackupError,
    Contents,
    connection_refused,
    engine_for,
    read_contents,
    shown_url,
)
from ogp_app.core.settings import sqlalchemy_url

# Relations of any kind outside the system schemas: a database holding one is not empty.
_RELATIONS = text(
    "SELECT n.nspname || '.' || c.relname, c.relkind IN ('r', 'p') "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
    "ORDER BY 2 DESC, 1"
)


def _escape_passfile(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


@contextmanager
def _libpq(database_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The conninfo without the password, and the environment that supplies the password."""
    url = make_url(sqlalchemy_url(database_url))
    params: dict[str, object] = {"host": url.host, "port": url.port, "user": url.username}
    params |= {"dbname": url.database, **url.query}
    conninfo = make_conninfo(**{key: str(value) for key, value in params.items() if value is not None})
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="ogp-pg-") as folder:  # mode 0700
        if url.password is not None:
            env.pop("PGPASSWORD", None)  # it would win over the passfile
            passfile = Path(folder) / "pgpass"
            passfile.touch(mode=0o600)
            passfile.write_text(f"*:*:*:*:{_escape_passfile(url.password)}\n", encoding="utf-8")
            env["PGPASSFILE"] = str(passfile)
        yield conninfo, env


def _tool(name: str, server_major: int | None) -> str:
    """The client tool's path; refused when it is older than the server (it could not read it)."""
    path = shutil.which(name)
    hint = f"postgresql-client-{server_major}" if server_major else "postgresql-client"
    if path is None:
        raise BackupError(f"{name} not found on PATH: install the PostgreSQL client tools (Debian: {hint})")
    if server_major is not None:
        version = _version(path)
        if int(version.split(".")[0]) < server_major:
            raise BackupError(
                f"{name} is version {version} but the server is PostgreSQL {server_major}: "
                f"install {hint} (or newer) and put its {name} first on PATH"
            )
    return path


def _version(tool: str) -> str:
    """``15.20`` from ``pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)``."""
    said = _run([tool, "--version"], what=tool).decode()
    found = re.search(r"\)\s+(\d+(?:\.\d+)?)", said)
    return found.group(1) if found else "0"


def _run(args: Sequence[str], *, what: str, env: dict[str, str] | None = None) -> bytes:
    done = subprocess.run(  # noqa: S603 - a client tool found on PATH, arguments built here
        list(args), env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip() or "no message"
        how = f"exit {done.returncode}" if done.returncode > 0 else f"killed by signal {-done.returncode}"
        raise BackupError(f"{what} failed ({how}): {reason}")
    return done.stdout or b""


def _server_major(connection: Connection) -> int:
    info = connection.dialect.server_version_info
    return int(info[0]) if info else 0


def dump(database_url: str, out: Path) -> tuple[Contents, str]:
    """Dump into ``out``; the rows counted in the dump's own snapshot, and the pg_dump version."""
    engine = engine_for(database_url)
    try:
        with engine.connect() as connection:
            snapshot = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with snapshot.begin():
                snapshot_id = snapshot.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                contents = read_contents(snapshot)
                pg_dump = _tool("pg_dump", _server_major(snapshot))
                # --file: pg_dump truncates our private file (its mode stays) and, as the file is
                # seekable, records where each table's data lies (pg_restore can jump to one).
                options = ["--format=custom", f"--snapshot={snapshot_id}", f"--file={out}"]
                with _libpq(database_url) as (conninfo, env):
                    _run([pg_dump, *options, f"--dbname={conninfo}"], what="pg_dump", env=env)
                version = _version(pg_dump)
    except SQLAlchemyError as error:
        raise connection_refused(database_url, error) from None
    finally:
        engine.dispose()
    return contents, f"pg_dump {version}"


def ensure_empty(database_url: str) -> None:
    engine = engine_for(database_url)
    try:
        with engine.connect() as connection:
            relations = connection.execute(_RELATIONS).all()
    except SQLAlchemyError as error:
        raise connection_refused(database_url, error) from None
    finally:
        engine.dispose()
    if relations:
        names = [name for name, _is_table in relations]
        some = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        tables = sum(1 for _name, is_table in relations if is_table)
        database = make_url(database_url).database
        raise BackupError(
            f"the database {shown_url(database_url)} already holds {tables} tables and "
            f"{len(names) - tables} other objects ({some}): "
            "a restore goes only into an "
            f"empty database. Create a new one (createdb NEW_NAME) and point OGP_DATABASE_URL at it, or "
            f"drop and recreate this one (dropdb {database} && createdb {database}) if you mean to "
            "replace what it holds."
        )


def backup_revision(file: Path) -> str | None:
    """The schema revision in the dump (read from the file, nothing restored); refuses a damaged
    dump or one without OGP's revision table."""
    pg_restore = _tool("pg_restore", None)
    listing = _run([pg_restore, "--list", str(file)], what=f"reading {file}").decode(errors="replace")
    if not re.search(rf"TABLE DATA \S+ {REVISION_TABLE}\b", listing):
        raise BackupError(f"{file} holds no {REVISION_TABLE} table: it is not a backup of OGP")
    script = _run(
        [pg_restore, "--data-only", f"--table={REVISION_TABLE}", "--file=-", str(file)],
        what=f"reading {file}",
    ).decode(errors="replace")
    lines = script.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and REVISION_TABLE in line and index + 1 < len(lines):
            value = lines[index + 1]
            return None if value == "\\." else value.strip()
    return None


def restore(database_url: str, file: Path) -> None:
    """pg_restore in a single transaction that stops at the first error: all or nothing. Objects
    become the connecting role's (``--no-owner``, ``--no-privileges``): the new server's roles may
    differ from the old one's."""
    engine = engine_for(database_url)
    try:
        with engine.connect() as connection:
            server_major = _server_major(connection)
    except SQLAlchemyError as error:
        raise connection_refused(database_url, error) from None
    finally:
        engine.dispose()
    pg_restore = _tool("pg_restore", server_major)
    options = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    with _libpq(database_url) as (conninfo, env):
        try:
            _run([pg_restore, *options, f"--dbname={conninfo}", str(file)], what="pg_restore", env=env)
        except BackupError as error:
            raise BackupError(f"{error}\nNothing was restored (one transaction, rolled back).") from None
