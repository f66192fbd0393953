"""`ogp`: operator commands. Each one calls the same services the app uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from alembic.config import Config

from alembic import command
from ogp_app.core.settings import PROJECT_ROOT

Report = TypeVar("Report")


def alembic_config() -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    return cfg


@click.group()
def main() -> None:
    """Oudergesprekplanner operator commands (configured through OGP_* environment variables)."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    command.upgrade(alembic_config(), revision)
    click.echo(f"database at {revision}")


@db.command("check")
def db_check() -> None:
    """Fail when the models differ from the migrations."""
    command.check(alembic_config())


def _on_database(step: Callable[[str], Report]) -> Report:
    """Run a backup or restore step on the configured database's URL; its failure is the command's error."""
    from ogp_app.core import backup
    from ogp_app.core.settings import get_settings

    try:
        return step(get_settings().database_url)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None


@main.command("backup")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (mode 0600). It holds personal data: see deploy/backup.md.",
)
def backup_cmd(out: Path) -> None:
    """Back up the whole database (every school) while OGP runs: pg_dump or SQLite's backup API."""
    from ogp_app.core import backup

    report = _on_database(lambda url: backup.backup(database_url=url, out=out))
    click.echo(f"backup written: {report.path}")
    click.echo(f"  {report.size_bytes:,} bytes, mode 0600, {report.kind} ({report.tool})")
    click.echo(f"  {report.contents.summary()}")
    click.echo(f"  took {report.seconds:.1f} s")


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_cmd(file: Path) -> None:
    """Restore FILE (made by `ogp backup`) into the empty database OGP_DATABASE_URL names."""
    from ogp_app.core import backup

    report = _on_database(lambda url: backup.restore(database_url=url, file=file))
    click.echo(f"restored {report.file} into {report.target}")
    click.echo(f"  {report.contents.summary()}")
    click.echo(f"  took {report.seconds:.1f} s")
    if report.status is backup.SchemaStatus.OLDER:
        click.echo(f"The schema is older than this code's ({report.head}). Next: run `ogp db upgrade`,")
        click.echo("then `ogp retention run`, then start OGP.")
    else:
        click.echo("The schema is this code's. Next: run `ogp retention run`, then start OGP.")
    click.echo("Deletions made after the backup was taken are not in it: redo them (deploy/backup.md).")


@main.command()
def demo() -> None:
    """Create the demo school with an admin, a teacher and a parent (safe to run again)."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.development.demo import DEMO_ACCOUNTS, seed_demo

    with unscoped() as session:
        result = seed_demo(session)
    click.echo(f"demo school ready (id {result.school_id}, {result.created} rows created)")
    for role, email in DEMO_ACCOUNTS.items():
        click.echo(f"  {role:8} {email}")


@main.command("create-staff")
@click.argument("email")
@click.option("--name", default=None, help="Display name (default: the part before @).")
def create_staff(email: str, name: str | None) -> None:
    """Make EMAIL an OGP staff account (the only way to create one)."""
    from ogp_app.core.db import session
    from ogp_app.services.errors import DomainError
    from ogp_app.services.staff.backoffice import create_staff as make_staff

    try:
        with session() as db:
            result = make_staff(db, email=email, name=name)
    except DomainError as error:
        raise click.ClickException(f"refused ({error.message_key})") from None
    click.echo(
        f"{result.email} is {'now' if result.created else 'now also'} OGP staff (user {result.user_id})."
    )
    click.echo("Next:")
    if result.password_link_sent:
        click.echo("  1. They open the e-mailed link (valid for a limited time) and choose a password.")
    else:
        click.echo("  1. They log in with their existing password.")
    click.echo("  2. At that first log-in they must set up two-step verification (an authenticator app);")
    click.echo("     the back office (/staff) stays closed until they have.")
    click.echo("  3. Then they open /staff.")


@main.group()
def mail() -> None:
    """Outgoing e-mail (the outbox)."""


@mail.command("deliver")
@click.option("--batch", default=50, show_default=True, help="Messages per round.")
def mail_deliver(batch: int) -> None:
    """Send every e-mail that is due, then stop (for cron; the app also sends in the background)."""
    from ogp_app.core.db import session
    from ogp_app.integrations.mailer import mailer_from_settings
    from ogp_app.services.mail.outbox import deliver_due
    from ogp_app.services.rounds.confirmations import render_pending_confirmations

    while render_pending_confirmations() > 0:  # parents' booking confirmations not yet queued
        pass
    mailer = mailer_from_settings()
    totals = {"sent": 0, "retrying": 0, "failed": 0, "reclaimed": 0}
    while True:
        report = deliver_due(session, mailer, batch=batch)
        for key in totals:
            totals[key] += getattr(report, key)
        if report.attempted < batch:  # a short round: nothing more is due
            break
    click.echo(", ".join(f"{key} {value}" for key, value in totals.items()))


@main.command("import-roster")
@click.option("--school", "slug", required=True, help="The school's slug.")
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
@click.option(
    "--mapping", "mapping_file", type=click.Path(dir_okay=False), help="JSON: column header -> field."
)
@click.option("--archive-missing", is_flag=True, help="Archive pupils who are not in the file.")
@click.option("--only-valid-rows", is_flag=True, help="Import the valid rows even when others have errors.")
@click.argument("file", type=click.Path(dir_okay=False))
def import_roster(
    slug: str,
    dry_run: bool,
    mapping_file: str | None,
    archive_missing: bool,
    only_valid_rows: bool,
    file: str,
) -> None:
    """Import a roster CSV/XLSX. Last line: JSON summary. Exit 0 ok, 1 errors in the file, 2 usage."""
    from ogp_app.cli_roster import run_import_roster

    raise SystemExit(
        run_import_roster(
            slug=slug,
            path=file,
            mapping_path=mapping_file,
            dry_run=dry_run,
            archive_missing=archive_missing,
            only_valid_rows=only_valid_rows,
        )
    )


# --- privacy (issue 7): export, deletion, retention; the same services as the privacy centre ---------


def _user_id_by_email(email: str) -> int:
    from sqlmodel import select

    from ogp_app.core.db import unscoped
    from ogp_app.models import User

    with unscoped() as db:
        user_id = db.exec(select(User.id).where(User.email == email.strip().lower())).first()
    if user_id is None:
        raise click.ClickException(f"no account with e-mail {email}")
    return user_id


def _school_id_by_slug(slug: str) -> int:
    from sqlmodel import select

    from ogp_app.core.db import unscoped
    from ogp_app.models import School

    with unscoped() as db:
        school_id = db.exec(select(School.id).where(School.slug == slug)).first()
    if school_id is None:
        raise click.ClickException(f"no school with slug {slug}")
    return school_id


@main.command("export")
@click.option("--user", "email", help="E-mail address of the person.")
@click.option("--school", "slug", help="Slug of the school (every table of the tenant).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="ZIP file to write.")
@click.option("--staff", "staff_email", required=True, help="E-mail of the OGP staff member exporting.")
@click.option(
    "--reason", required=True, help="Why (10-500 characters); the school sees it in its access log."
)
def export_cmd(email: str | None, slug: str | None, out: str, staff_email: str, reason: str) -> None:
    """Write everything held about a person or a school to a ZIP (data.json, CSVs, README.txt).

    Staff reading a school's data: the reason goes to the access log of every school concerned first
    (the school admin and the people concerned see it), as when staff open a school in the back office.
    """
    from pathlib import Path

    from ogp_app.core.db import unscoped
    from ogp_app.services.errors import DomainError
    from ogp_app.services.privacy import export
    from ogp_app.services.staff import backoffice

    if bool(email) == bool(slug):
        raise click.UsageError("give exactly one of --user and --school")
    staff_user_id = _user_id_by_email(staff_email)
    user_id = _user_id_by_email(email) if email else None
    school_id = _school_id_by_slug(str(slug)) if slug else None
    with unscoped() as db:  # a person spans schools; a school export filters by school_id itself
        try:
            backoffice.log_export(
                db, staff_user_id=staff_user_id, reason=reason, school_id=school_id, user_id=user_id
            )
        except backoffice.ReasonRequired:
            raise click.UsageError("--reason: give 10 to 500 characters saying why") from None
        except DomainError:
            raise click.UsageError(f"--staff: {staff_email} is not an OGP staff account") from None
        if user_id is not None:
            dataset = export.collect_user(db, user_id=user_id)
        else:
            assert school_id is not None
            dataset = export.collect_school(db, school_id=school_id)
    Path(out).write_bytes(export.build_zip(dataset))
    rows = sum(len(t.rows) for t in dataset.tables.values())
    click.echo(f"wrote {out}: {len(dataset.tables)} tables, {rows} rows")


@main.command("delete-account")
@click.option("--user", "email", required=True, help="E-mail address of the account.")
@click.option("--yes", is_flag=True, help="Really delete (there is no undo).")
def delete_account_cmd(email: str, yes: bool) -> None:
    """Delete an account and everything linked only to it; the school keeps its roster entries."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.errors import DomainError
    from ogp_app.services.privacy.erasure import erase_user

    if not yes:
        raise click.UsageError("add --yes to delete the account")
    with unscoped() as db:
        try:
            report = erase_user(db, user_id=_user_id_by_email(email))
        except DomainError as error:
            raise click.ClickException(f"{error.message_key}: {error}") from None
    click.echo(f"deleted; audit entries now name {report.pseudonym}")
    for table, count in sorted(report.rows.items()):
        click.echo(f"  {table:24} {count}")


@main.command("delete-school")
@click.option("--school", "slug", help="Slug of the school.")
@click.option("--yes", is_flag=True, help="Really delete.")
@click.option("--immediately", is_flag=True, help="Purge now instead of after the 30-day grace period.")
@click.option("--undo", is_flag=True, help="Undo a pending deletion (within the grace period).")
@click.option("--purge-due", is_flag=True, help="Purge every school whose grace period has passed.")
def delete_school_cmd(slug: str | None, yes: bool, immediately: bool, undo: bool, purge_due: bool) -> None:
    """Freeze a school now and purge it after the grace period (or --immediately, or --undo)."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.privacy import erasure

    with unscoped() as db:
        if purge_due:
            click.echo(f"purged: {', '.join(erasure.purge_due_schools(db)) or 'none'}")
            return
        if not slug:
            raise click.UsageError("give --school SLUG")
        school_id = _school_id_by_slug(slug)
        if undo:
            erasure.undo_school_deletion(db, school_id=school_id, actor_user_id=None)
            click.echo(f"{slug}: deletion undone")
            return
        if not yes:
            raise click.UsageError("add --yes to delete the school")
        if immediately:
            counts = erasure.purge_school(db, school_id=school_id)
            click.echo(f"{slug}: purged {sum(counts.values())} rows")
            for table, count in sorted(counts.items()):
                click.echo(f"  {table:24} {count}")
            return
        when = erasure.request_school_deletion(db, school_id=school_id, actor_user_id=None)
        click.echo(f"{slug}: frozen; purged after {when:%Y-%m-%d %H:%M} UTC unless undone")


@main.group()
def retention() -> None:
    """Deleting what has outlived its purpose."""


@retention.command("run")
def retention_run() -> None:
    """Delete expired sessions, links and downloads, old mail and rate-limit hits; purge due schools."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.privacy import retention as jobs

    for name, count in jobs.run(unscoped).items():
        click.echo(f"{name:24} {count}")


@main.group()
def disclosure() -> None:
    """The legal disclosure register."""


@disclosure.command("record")
@click.option("--staff", "staff_email", required=True, help="E-mail of the OGP staff member recording it.")
@click.option("--authority", required=True, help="Who demanded the data, e.g. the police force.")
@click.option("--date", "on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--scope", required=True, help="What was handed over, on which legal ground.")
@click.option("--user", "emails", multiple=True, required=True, help="E-mail of a person concerned (repeat).")
def disclosure_record(
    staff_email: str, authority: str, on: object, scope: str, emails: tuple[str, ...]
) -> None:
    """Record a disclosure forced by law; every person concerned is e-mailed and sees it at /privacy/me."""
    from datetime import datetime

    from ogp_app.core.db import unscoped
    from ogp_app.services.errors import DomainError
    from ogp_app.services.privacy.disclosures import record_disclosure

    assert isinstance(on, datetime)
    with unscoped() as db:
        try:
            disclosure_id = record_disclosure(
                db,
                staff_user_id=_user_id_by_email(staff_email),
                authority=authority,
                disclosed_on=on.date(),
                scope=scope,
                subject_emails=list(emails),
            )
        except DomainError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"disclosure {disclosure_id} recorded; {len(set(emails))} people notified")


@main.group()
def reminders() -> None:
    """Reminder e-mails about booked conversations."""


@reminders.command("send")
def reminders_send() -> None:
    """Queue the day-before reminders for tomorrow's conversations (safe to run again: each goes once)."""
    from ogp_app.core.db import unscoped
    from ogp_app.services.rounds.reminders import send_day_before

    click.echo(f"{send_day_before(unscoped)} reminder(s) queued")


if __name__ == "__main__":
    main()
