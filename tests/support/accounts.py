"""Helpers for the account tests: read the outbox like a mailbox, follow links, count rows."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlmodel import SQLModel, col
from sqlmodel import select as sm_select

from ogp_app.core.db import unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import OutboxMessage

STRONG = "paard-batterij-nietje-correct"
OTHER_STRONG = "zeven zwanen zwemmen zacht"


def mails(to: str | None = None, template: str | None = None) -> list[OutboxMessage]:
    """Enqueued e-mails, oldest first."""
    query = sm_select(OutboxMessage).order_by(col(OutboxMessage.id))
    if to is not None:
        query = query.where(OutboxMessage.to_email == to)
    if template is not None:
        query = query.where(OutboxMessage.template == template)
    with unscoped() as db:
        return list(db.exec(query).all())


def token_from(message: OutboxMessage, path: str) -> str:
    """The token of the ``path`` link, which must appear in both the text and the HTML body."""
    base = re.escape(get_settings().public_base_url.rstrip("/") + path)
    found = re.findall(base + r"\?token=([A-Za-z0-9_-]+)", message.text_body)
    assert len(set(found)) == 1, message.text_body
    assert f"{path}?token={found[0]}" in message.html_body
    return found[0]


def last_token(to: str, template: str, path: str) -> str:
    found = mails(to=to, template=template)
    assert found, f"no {template} mail to {to}"
    return token_from(found[-1], path)


def row_counts() -> dict[str, int]:
    """Rows per table: proves that a refused action created nothing."""
    with unscoped() as db:
        return {
            name: int(db.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in SQLModel.metadata.tables.items()
        }


def database_text(*, skip: tuple[str, ...] = ("outbox_message",)) -> str:
    """Every value of every row, as text (to prove a secret is stored nowhere)."""
    parts: list[str] = []
    with unscoped() as db:
        for name, table in SQLModel.metadata.tables.items():
            if name in skip:
                continue
            for row in db.execute(select(table)).all():
                parts.extend(str(value) for value in row)
    return "\n".join(parts)
