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


if __name__ == "__main__":
    main()
