"""The outbox of e-mail."""

from __future__ import annotations

from sqlalchemy import func, or_

from ogp_app.services.privacy.registry import Erase, Subject, declare

declare(
    "outbox_message",
    subject=Subject.USER,
    personal=["to_email", "to_name", "subject", "text_body", "html_body", "attachments", "user_id"],
    # Bodies may hold live sign-in links: the export lists each mail, not its content.
    secret=["text_body", "html_body", "attachments", "last_error"],
    reason="Mail sent to the person serves only them.",
    erase=Erase.DELETE,
    user_rows=lambda table, person: or_(
        table.c.user_id == person.user_id, func.lower(table.c.to_email) == person.email
    ),
)
