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


@main.group()
def reminders() -> None:
    """Reminder e-mails about booked conversations."""


@reminders.command("send")
def reminders_send() -> None:
    """Queue the day-before reminders for tomorrow's conversations (safe to run again: each goes once)."""
    from ogp_app.db import unscoped
    from ogp_app.services.rounds.reminders import send_day_before

    click.echo(f"{send_day_before(unscoped)} reminder(s) queued")


if __name__ == "__main__":
    main()
