"""SQLite: SQLite's online backup API, which copies a consistent database while the app keeps using it.

The copy is made in one step (the source is read-locked for that moment; the app's writers wait, with
their busy timeout, the fraction of a second it takes) into a private file that is renamed at the end.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from ogp_app.core.backup.common import REVISION_TABLE, BackupError, private_file

_BUSY_TIMEOUT_SECONDS = 30  # a write the app has begun finishes first


def database_path(database_url: str) -> Path:
    name = make_url(database_url).database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("OGP_DATABASE_URL names an in-memory SQLite database; give a file")
    return Path(name).resolve()


def _read_only(path: Path) -> sqlite3.Connection:
    """Opening read-only never creates a file where none was."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_SECONDS)


def _copy(source: Path, target: Path) -> None:
    with closing(_read_only(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)


def _tables(path: Path) -> list[str]:
    with closing(_read_only(path)) as connection:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    return [row[0] for row in rows]


def dump(database_url: str, out: Path) -> None:
    """Copy the database into ``out`` (a private file that exists and is empty)."""
    source = database_path(database_url)
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    _copy(source, out)


def ensure_empty(database_url: str) -> None:
    target = database_path(database_url)
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-journal")):
        if leftover.exists():
            raise BackupError(
                f"{leftover} exists: is OGP still running on {target}? Stop it and move both files away"
            )
    if not target.exists():
        return
    tables = _tables(target)
    if tables:
        raise BackupError(
            f"the SQLite database {target} already holds {len(tables)} tables "
            f"({', '.join(tables[:3])}{', ...' if len(tables) > 3 else ''}): a restore goes only into "
            "an empty database. Point OGP_DATABASE_URL at a new file (it is created), or move this "
            "one away first."
        )


def backup_revision(file: Path) -> str | None:
    """The schema revision inside the backup; refuses a damaged file or one that is not OGP's."""
    try:
        with closing(_read_only(file)) as connection:
            check = connection.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise BackupError(f"{file} is damaged (SQLite quick_check: {check[0] if check else '?'})")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if REVISION_TABLE not in tables:
                raise BackupError(f"{file} holds no {REVISION_TABLE} table: it is not a backup of OGP")
            row = connection.execute(f"SELECT version_num FROM {REVISION_TABLE}").fetchone()  # noqa: S608
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{file} is damaged: {error}") from None
    return row[0] if row else None


def restore(database_url: str, file: Path) -> None:
    """Copy the backup into the target file: whole, or not at all (a private file renamed at the end)."""
    target = database_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with private_file(target) as partial:
            _copy(file, partial)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"restoring {file} failed, nothing was written: {error}") from None
