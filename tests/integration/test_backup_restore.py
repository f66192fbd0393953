"""The restore drill: `ogp backup` and `ogp restore` run as an operator runs them (subprocesses), on the
kind of database this run uses (SQLite, or PostgreSQL with OGP_TEST_DATABASE_URL).

A seeded school is backed up and restored into a fresh database: every table of the models comes back
with the same rows (counted and hashed in primary-key order), the same schema revision, and a working
log-in (password, two-factor seed, a session cookie issued before the backup). Then the refusals an
operator meets: a database that is not empty, a backup of the other kind, no file, a damaged file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel
from sqlmodel import select as sm_select

from alembic import command
from ogp_app.cli import alembic_config
from ogp_app.core import db as ogp_db
from ogp_app.core.settings import get_settings, sqlalchemy_url
from ogp_app.models import School, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.auth import two_factor
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.sessions import create_session, resolve_session
from ogp_app.services.billing.local_invoices import issue_local_invoice
from ogp_app.services.billing.subscriptions import start_trial
from ogp_app.services.development.demo import DEMO_ACCOUNTS, seed_demo
from ogp_app.services.staff.analytics import record_page_view
from tests.conftest import TEST_DATABASE_URL
from tests.support.accounts import STRONG
from tests.support.two_factor import enrol_two_factor, next_code

ADMIN = DEMO_ACCOUNTS["admin"]


@dataclass(frozen=True)
class Seeded:
    admin_id: int
    school_id: int
    session_token: str  # the admin's cookie, issued before the backup
    totp: pyotp.TOTP


def _kind() -> str:
    return make_url(TEST_DATABASE_URL).get_backend_name()


def _engine(database_url: str) -> Engine:
    return create_engine(sqlalchemy_url(database_url), poolclass=NullPool)


def ogp(
    *args: str, database_url: str, umask: int = 0o022, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `ogp ...` on ``database_url`` as an operator would; returns the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "ogp_app.cli", *args],
        env={**os.environ, "OGP_DATABASE_URL": database_url, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        umask=umask,
    )


def table_digests(database_url: str) -> dict[str, tuple[int, str]]:
    """Rows and a SHA-256 of every row (in primary-key order) per table of the models, and the revision."""
    engine = _engine(database_url)
    found: dict[str, tuple[int, str]] = {}
    try:
        with engine.connect() as connection:
            for table in SQLModel.metadata.sorted_tables:
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
                found[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            found["alembic_version"] = (1, revision)
    finally:
        engine.dispose()
    return found


def table_names(database_url: str) -> list[str]:
    engine = _engine(database_url)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    finally:
        engine.dispose()


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database of this run's kind: a SQLite file not yet made, or a PostgreSQL database
    created here and dropped afterwards."""
    if _kind() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'ogp.sqlite3'}"
        return
    name = f"ogp_restore_{secrets.token_hex(4)}"
    admin = ogp_db.get_engine().execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def seeded(clean_db: None) -> Seeded:
    """The demo school (roster, an open round with bookings) and what its people leave behind: a
    password and a session, two-factor, a reset link in the outbox, a log-in audited, a page view, a
    trial subscription with an invoice."""
    now = utcnow()
    with ogp_db.unscoped() as db:
        school_id = seed_demo(db).school_id
        admin = db.exec(sm_select(User).where(User.email == ADMIN)).one()
        admin.password_hash, admin.email_verified_at = hash_password(STRONG), now
        db.add(admin)
        db.commit()
        assert admin.id is not None
        admin_id = admin.id
        token = create_session(db, user_id=admin_id, school_id=school_id)
        start_trial(db, school_id=school_id, now=now)
        school = db.get(School, school_id)
        assert school is not None
        issue_local_invoice(
            db,
            school=school,
            period_start=now,
            period_end=now + timedelta(days=365),
            pupil_count=8,
            amount_excl_cents=30000,
            now=now,
        )
        db.commit()
    totp = enrol_two_factor(admin_id, label=ADMIN).totp
    with ogp_db.session() as db:
        accounts.request_password_reset(db, email=DEMO_ACCOUNTS["teacher"], ip="198.51.100.7")
        assert accounts.authenticate(db, email=ADMIN, password=STRONG, ip="198.51.100.7") == admin_id
        record_page_view(db, path="/", client="198.51.100.7", browser="Firefox", now=now)
    return Seeded(admin_id=admin_id, school_id=school_id, session_token=token, totp=totp)


@contextmanager
def app_on(database_url: str) -> Iterator[None]:
    """The app's own engine and settings pointed at another database for a moment."""
    saved = os.environ["OGP_DATABASE_URL"]
    os.environ["OGP_DATABASE_URL"] = database_url
    get_settings.cache_clear()
    ogp_db.reset_engine()
    try:
        yield
    finally:
        os.environ["OGP_DATABASE_URL"] = saved
        get_settings.cache_clear()
        ogp_db.reset_engine()


def test_backup_and_restore_bring_back_every_row_and_a_working_log_in(
    seeded: Seeded, fresh_url: str, backups: Path
) -> None:
    before = table_digests(TEST_DATABASE_URL)
    empty = [name for name, (count, _) in before.items() if count == 0]
    assert len(empty) < len(before) / 2, f"seed too thin, empty: {empty}"
    out = backups / "ogp-nightly.backup"

    made = ogp("backup", "--out", str(out), database_url=TEST_DATABASE_URL, umask=0)
    print(made.stdout)  # the operator's view, shown with -rP
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # even with umask 0
    assert sorted(p.name for p in backups.iterdir()) == [out.name]  # no partial file left
    rows = sum(count for name, (count, _) in before.items() if name != "alembic_version") + 1
    assert f"backup written: {out}" in made.stdout
    assert f"{out.stat().st_size:,} bytes, mode 0600" in made.stdout
    assert (
        f"{len(before)} tables, {rows:,} rows, schema revision {before['alembic_version'][1]}" in made.stdout
    )
    for personal in [*DEMO_ACCOUNTS.values(), "Regenboog", "de Vries"]:
        assert personal not in made.stdout + made.stderr

    restored = ogp("restore", str(out), database_url=fresh_url)
    print(restored.stdout)
    assert restored.returncode == 0, restored.stderr
    assert f"{len(before)} tables, {rows:,} rows" in restored.stdout
    assert "The schema is this code's. Next: run `ogp retention run`, then start OGP." in restored.stdout

    assert table_digests(fresh_url) == before  # every table, row for row, and the schema revision
    with app_on(fresh_url), ogp_db.session() as db:
        assert accounts.authenticate(db, email=ADMIN, password=STRONG, ip=None) == seeded.admin_id
        assert two_factor.verify_second_factor(db, user_id=seeded.admin_id, code=next_code(seeded.totp))
        identity = resolve_session(seeded.session_token)  # the cookie from before the backup
        assert identity is not None
        assert (identity.user_id, identity.school_id) == (seeded.admin_id, seeded.school_id)


def test_restore_refuses_a_database_that_holds_tables(seeded: Seeded, backups: Path) -> None:
    out = backups / "ogp.backup"
    assert ogp("backup", "--out", str(out), database_url=TEST_DATABASE_URL).returncode == 0
    before = table_digests(TEST_DATABASE_URL)

    refused = ogp("restore", str(out), database_url=TEST_DATABASE_URL)  # the live database itself

    assert refused.returncode == 1
    assert "a restore goes only into an empty database" in refused.stderr
    assert "already holds" in refused.stderr and "alembic_version" in refused.stderr
    assert ("createdb NEW_NAME" if _kind() == "postgresql" else "Point OGP_DATABASE_URL at a new file") in (
        refused.stderr
    )
    assert table_digests(TEST_DATABASE_URL) == before


def _other_kind_backup(folder: Path) -> Path:
    """A backup of the other kind than this run's, named like this run's kind: recognised by content."""
    if _kind() == "sqlite":
        fake = folder / "looks-like.sqlite3"
        fake.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(200))
        return fake
    real = folder / "looks-like.dump"
    with sqlite3.connect(real) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    return real


def test_restore_refuses_a_backup_of_the_other_kind_a_stranger_file_and_no_file(
    clean_db: None, fresh_url: str, backups: Path
) -> None:
    other = _other_kind_backup(backups)
    refused = ogp("restore", str(other), database_url=fresh_url)
    kinds = ("PostgreSQL", "SQLite") if _kind() == "sqlite" else ("SQLite", "PostgreSQL")
    assert refused.returncode == 1
    assert f"is a {kinds[0]} backup, but OGP_DATABASE_URL names a {kinds[1]} database" in refused.stderr

    stranger = backups / "export.zip"
    stranger.write_bytes(b"PK\x03\x04" + bytes(100))
    refused = ogp("restore", str(stranger), database_url=fresh_url)
    assert refused.returncode == 1
    assert "is not an OGP backup: neither a PostgreSQL custom-format dump nor a SQLite database" in (
        refused.stderr
    )

    refused = ogp("restore", str(backups / "missing.backup"), database_url=fresh_url)
    assert refused.returncode == 1
    assert f"no backup file at {backups / 'missing.backup'}" in refused.stderr
    assert _empty(fresh_url)


def _empty(database_url: str) -> bool:
    if _kind() == "sqlite":
        path = Path(make_url(database_url).database or "")
        return not path.exists() or not table_names(database_url)
    return not table_names(database_url)


def test_a_damaged_backup_restores_nothing(seeded: Seeded, fresh_url: str, backups: Path) -> None:
    out = backups / "ogp.backup"
    assert ogp("backup", "--out", str(out), database_url=TEST_DATABASE_URL).returncode == 0
    whole = out.read_bytes()
    damaged = backups / "cut-short.backup"  # a copy that stopped just before the end
    damaged.write_bytes(whole[: len(whole) - 100] if _kind() == "postgresql" else whole[: len(whole) // 2])

    refused = ogp("restore", str(damaged), database_url=fresh_url)

    assert refused.returncode == 1
    if _kind() == "postgresql":
        assert "pg_restore failed" in refused.stderr
        assert "Nothing was restored (one transaction, rolled back)." in refused.stderr
    else:
        assert "is damaged" in refused.stderr
    assert _empty(fresh_url)


def test_backup_of_a_missing_database_leaves_no_file(backups: Path) -> None:
    if _kind() == "sqlite":
        source = f"sqlite:///{backups.parent / 'nowhere.sqlite3'}"
        expected = "no SQLite database at"
    else:
        source = make_url(TEST_DATABASE_URL).set(database="ogp_no_such_db").render_as_string(False)
        expected = 'database "ogp_no_such_db" does not exist'
    failed = ogp("backup", "--out", str(backups / "ogp.backup"), database_url=source)
    assert failed.returncode == 1
    assert expected in failed.stderr
    assert list(backups.iterdir()) == []
    missing_folder = ogp(
        "backup", "--out", str(backups / "no" / "ogp.backup"), database_url=TEST_DATABASE_URL
    )
    assert f"folder {backups / 'no'} does not exist" in missing_folder.stderr


def _sqlite_backup_at(revision: str, folder: Path) -> Path:
    """A SQLite backup (a SQLite database is one) of an empty OGP schema whose revision reads ``revision``."""
    out = folder / f"{revision}.backup"
    engine = _engine(f"sqlite:///{out}")
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        cfg.attributes["configure_logger"] = False
        command.upgrade(cfg, "head")
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()
    return out


def test_restore_of_an_older_schema_says_to_upgrade_and_a_newer_one_is_refused(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)

    older = _sqlite_backup_at(previous, tmp_path)
    restored = ogp("restore", str(older), database_url=f"sqlite:///{tmp_path / 'older.sqlite3'}")
    assert restored.returncode == 0, restored.stderr
    assert f"schema revision {previous}" in restored.stdout
    assert f"The schema is older than this code's ({head}). Next: run `ogp db upgrade`," in restored.stdout

    newer = _sqlite_backup_at("f00dfeedbeef", tmp_path)
    refused = ogp("restore", str(newer), database_url=f"sqlite:///{tmp_path / 'newer.sqlite3'}")
    assert refused.returncode == 1
    assert "has schema revision f00dfeedbeef, which this version of OGP does not know" in refused.stderr
    assert not (tmp_path / "newer.sqlite3").exists()


def test_the_database_password_never_reaches_a_command_line(clean_db: None, tmp_path: Path) -> None:
    """`ps` shows every process's arguments to every user: pg_dump gets the password from a passfile of
    its own (mode 0600, gone afterwards). A spy in front of the real pg_dump records what it was given."""
    if _kind() != "postgresql":
        pytest.skip("PostgreSQL run only (set OGP_TEST_DATABASE_URL)")
    secret = "Geheim:wacht\\woord-7f3a"  # a colon and a backslash: the passfile escapes both
    real = shutil.which("pg_dump")
    assert real is not None
    spy_bin, log = tmp_path / "bin", tmp_path / "spy.log"
    spy_bin.mkdir()
    spy = spy_bin / "pg_dump"
    spy.write_text(
        "#!/bin/sh\n"
        'printf "arg %s\\n" "$@" >> "$SPY_LOG"\n'
        'if [ -n "$PGPASSFILE" ]; then\n'
        '  printf "passfile %s %s\\n" "$PGPASSFILE" "$(stat -c %a "$PGPASSFILE")" >> "$SPY_LOG"\n'
        '  sed "s/^/line /" "$PGPASSFILE" >> "$SPY_LOG"\n'
        "fi\n"
        f'exec {real} "$@"\n'
    )
    spy.chmod(0o700)
    url = make_url(TEST_DATABASE_URL).set(password=secret).render_as_string(hide_password=False)
    env = {"PATH": f"{spy_bin}:{os.environ['PATH']}", "SPY_LOG": str(log), "PGPASSWORD": "wrong"}

    made = ogp("backup", "--out", str(tmp_path / "ogp.backup"), database_url=url, env=env)

    assert made.returncode == 0, made.stderr
    said = log.read_text().splitlines()
    assert [line for line in said if line.startswith("arg ") and "Geheim" in line] == []
    assert any(line.startswith("arg --dbname=") for line in said)  # the spy saw the real call
    passfiles = [line.split() for line in said if line.startswith("passfile ")]
    assert passfiles and all(mode == "600" for _word, _path, mode in passfiles)
    assert "line *:*:*:*:Geheim\\:wacht\\\\woord-7f3a" in said
    assert not any(Path(path).exists() for _word, path, _mode in passfiles)
    assert secret not in made.stdout + made.stderr
