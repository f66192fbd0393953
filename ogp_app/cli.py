"""`ogp`: operator commands. Each one calls the same services the app uses."""

from __future__ import annotations

import click
from alembic.config import Config

from alembic import command
from ogp_app.settings import PROJECT_ROOT


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


@main.command()
def demo() -> None:
    """Create the demo school with an admin, a teacher and a parent (safe to run again)."""
    from ogp_app.db import unscoped
    from ogp_app.services.demo import DEMO_ACCOUNTS, seed_demo

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
    from ogp_app.db import session
    from ogp_app.services.backoffice import create_staff as make_staff
    from ogp_app.services.errors import DomainError

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
    from ogp_app.db import session
    from ogp_app.integrations.mailer import mailer_from_settings
    from ogp_app.services.outbox import deliver_due

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


if __name__ == "__main__":
    main()
