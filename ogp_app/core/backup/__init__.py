"""Backups of the whole database for operators (``ogp backup``, ``ogp restore``; deploy/backup.md).

A backup is one file of the database's own kind: a PostgreSQL custom-format dump or a SQLite database.
It holds every school's personal data, so it is written readable by its owner only (mode 0600), under
a temporary name renamed when complete; what is printed about it is counts, never contents. A restore
goes only into the empty database OGP_DATABASE_URL names, whole or not at all, and says where the
restored schema revision stands against this code.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ogp_app.core.backup import postgres, sqlite
from ogp_app.core.backup.common import (
    BackupError,
    Contents,
    Kind,
    SchemaStatus,
    contents_of,
    kind_of_file,
    kind_of_url,
    private_file,
    schema_status,
    shown_url,
)

__all__ = ["BackupError", "BackupReport", "Kind", "RestoreReport", "SchemaStatus", "backup", "restore"]


@dataclass(frozen=True)
class BackupReport:
    path: Path
    kind: Kind
    size_bytes: int
    contents: Contents
    seconds: float
    tool: str  # what wrote it (pg_dump's version, or SQLite's)


@dataclass(frozen=True)
class RestoreReport:
    file: Path
    target: str  # the database URL without its password
    contents: Contents
    seconds: float
    status: SchemaStatus
    head: str


def backup(*, database_url: str, out: Path) -> BackupReport:
    """Back up the database at ``database_url`` into ``out`` (replaced only once the new file is whole)."""
    started = time.monotonic()
    kind = kind_of_url(database_url)
    out = out.expanduser().absolute()
    with private_file(out) as partial:
        if kind is Kind.POSTGRES:
            contents, tool = postgres.dump(database_url, partial)
        else:
            sqlite.dump(database_url, partial)
            contents, tool = contents_of(f"sqlite:///{partial}"), f"SQLite {sqlite3.sqlite_version}"
    return BackupReport(out, kind, out.stat().st_size, contents, time.monotonic() - started, tool)


def restore(*, database_url: str, file: Path) -> RestoreReport:
    """Restore ``file`` into the empty database at ``database_url``; refuses anything else first."""
    started = time.monotonic()
    kind = kind_of_url(database_url)
    if not file.is_file():
        raise BackupError(f"no backup file at {file}")
    found = kind_of_file(file)
    if found is None:
        raise BackupError(
            f"{file} is not an OGP backup: neither a PostgreSQL custom-format dump nor a SQLite database"
        )
    if found is not kind:
        raise BackupError(
            f"{file} is a {found} backup, but OGP_DATABASE_URL names a {kind} database "
            f"({shown_url(database_url)}): restore it into an empty {found} database"
        )
    way = postgres if kind is Kind.POSTGRES else sqlite
    way.ensure_empty(database_url)
    revision = way.backup_revision(file)
    status, head = schema_status(revision)
    if status is SchemaStatus.UNKNOWN:
        raise BackupError(
            f"{file} has schema revision {revision}, which this version of OGP does not know (its newest "
            f"is {head}): restore it with the OGP version that made it, or a newer one"
        )
    way.restore(database_url, file)
    contents = contents_of(database_url)
    return RestoreReport(file, shown_url(database_url), contents, time.monotonic() - started, status, head)
