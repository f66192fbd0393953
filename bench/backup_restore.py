"""The restore drill at size: --schools bench schools of --families families each (bench/rush_school.py:
roster, parent accounts and an open round with its slots) are added to --database-url, then `ogp backup`
and `ogp restore` run as an operator runs them (subprocesses) into a fresh database of the same kind,
and every table's rows are counted on both sides.

Run: .venv/bin/python bench/backup_restore.py --database-url postgresql://postgres@127.0.0.1/ogp_bench
     .venv/bin/python bench/backup_restore.py --database-url sqlite:////tmp/ogp-bench.sqlite3
The database is migrated first (`ogp db upgrade`); the schools stay (new slugs each run). PostgreSQL:
the restore target is a new database next to it, dropped at the end; SQLite: a file in a temp folder.
The seconds are wall time of each command, Python's start included (about a second here).
Last line: kind=K tables=T rows=R bytes=B backup_s=X restore_s=Y rows_lost=L
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

os.environ.setdefault("OGP_ENV", "development")  # the seed's services read the settings

from rush_school import seed  # bench/ is the script folder, first on sys.path

from ogp_app.core.settings import sqlalchemy_url


def ogp(*args: str, database_url: str) -> float:
    """Run `ogp ...` on the database; its wall seconds (fails loudly)."""
    env = {**os.environ, "OGP_DATABASE_URL": database_url, "OGP_ENV": "development"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ogp_app.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"ogp {' '.join(args)} failed:\n{done.stderr}")
    print(done.stdout.rstrip())
    return seconds


def counts(database_url: str) -> dict[str, int]:
    engine = create_engine(sqlalchemy_url(database_url), poolclass=NullPool)
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        found = {
            n: connection.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names
        }
    engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--schools", type=int, default=5)
    parser.add_argument("--families", type=int, default=400)
    args = parser.parse_args()
    source = args.database_url
    ogp("db", "upgrade", database_url=source)
    engine = create_engine(sqlalchemy_url(source), poolclass=NullPool)
    started = time.perf_counter()
    for _ in range(args.schools):
        seed(engine, args.families, 28)
    engine.dispose()
    print(
        f"seeded {args.schools} schools x {args.families} families in {time.perf_counter() - started:.1f} s"
    )

    url = make_url(source)
    with tempfile.TemporaryDirectory(prefix="ogp-bench-backup-") as folder:
        out = Path(folder) / "ogp.backup"
        if url.get_backend_name() == "sqlite":
            target = f"sqlite:///{Path(folder) / 'restored.sqlite3'}"
        else:
            name = f"{url.database}_restore_{secrets.token_hex(3)}"
            admin = create_engine(sqlalchemy_url(source), isolation_level="AUTOCOMMIT", poolclass=NullPool)
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            target = url.set(database=name).render_as_string(hide_password=False)
        try:
            before = counts(source)
            backup_s = ogp("backup", "--out", str(out), database_url=source)
            size = out.stat().st_size
            restore_s = ogp("restore", str(out), database_url=target)
            after = counts(target)
        finally:
            if url.get_backend_name() != "sqlite":
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    lost = sum(max(0, before[n] - after.get(n, 0)) for n in before)
    print(
        f"kind={url.get_backend_name()} tables={len(before)} rows={sum(before.values())} bytes={size} "
        f"backup_s={backup_s:.2f} restore_s={restore_s:.2f} rows_lost={lost}"
    )


if __name__ == "__main__":
    main()
