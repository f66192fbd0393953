"""Accounts, log-in sessions, e-mail link tokens, rate limits, the audit log and the second factor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, or_, select, update
from sqlmodel import Session

from ogp_app.services.auth.rate_limit import limit_key
from ogp_app.services.privacy.registry import Erase, Person, Subject, by_user_id, declare, own_rows

declare(
    "user",
    subject=Subject.USER,
    personal=["email", "display_name", "preferred_language", "created_at", "email_verified_at", "is_staff"],
    secret=["password_hash"],
    reason="The account itself.",
    erase=Erase.DELETE,
    user_rows=by_user_id("id"),
    # A school's export lists its members (it sees them on its own pages too).
    school_rows=lambda table, school_id: table.c.id.in_(
        select(table.metadata.tables["membership"].c.user_id).where(
            table.metadata.tables["membership"].c.school_id == school_id
        )
    ),
)

own_rows(
    "auth_session",
    personal=["user_id", "created_at", "last_seen_at", "expires_at", "stage"],
    secret=["token_hash"],
    reason="Log-in sessions serve only the person.",
)

declare(
    "one_time_token",
    subject=Subject.USER,
    personal=["user_id", "new_email", "role", "invited_name", "created_at", "used_at"],
    secret=["token_hash"],
    reason="E-mail links of the person (and any pending change to their address).",
    erase=Erase.DELETE,
    user_rows=lambda table, person: or_(table.c.user_id == person.user_id, table.c.new_email == person.email),
)


def _keys_of(person: Person) -> list[str]:
    """Rate-limit keys end in an HMAC of the e-mail or account id, whatever the scope."""
    return [
        limit_key("x", person.email).split(":", 1)[1],
        limit_key("x", str(person.user_id)).split(":", 1)[1],
    ]


declare(
    "rate_limit_hit",
    subject=Subject.USER,
    personal=["key"],  # a keyed hash of an e-mail or IP address: pseudonymous, kept minutes to an hour
    reason="Counted attempts keyed by a hash of the person's address; theirs go with the account.",
    erase=Erase.DELETE,
    user_rows=lambda table, person: or_(*(table.c.key.like(f"%:{digest}") for digest in _keys_of(person))),
)


def _pseudonymise_audit(db: Session, table: Table, person: Person) -> int:
    """Keep what happened, replace the account id by a pseudonym (in ``detail``, no foreign key)."""
    changed = 0
    for column, label in (("subject_user_id", "subject_pseudonym"), ("actor_user_id", "actor_pseudonym")):
        rows = db.execute(select(table.c.id, table.c.detail).where(table.c[column] == person.user_id)).all()
        for row_id, detail in rows:
            new_detail: dict[str, Any] = {**(detail or {}), label: person.pseudonym}
            db.execute(update(table).where(table.c.id == row_id).values({column: None, "detail": new_detail}))
            changed += 1
    return changed


declare(
    "audit_event",
    subject=Subject.USER,
    personal=["actor_user_id", "subject_user_id", "detail", "event", "created_at"],
    reason="The security log must keep what happened; the account id becomes a pseudonym.",
    erase=Erase.PSEUDONYMISE,
    user_rows=by_user_id("subject_user_id", "actor_user_id"),
    eraser=_pseudonymise_audit,
)

own_rows(
    "totp_credential",
    personal=["user_id", "confirmed_at", "created_at"],
    secret=["secret_encrypted", "last_used_step"],
    reason="The person's authenticator.",
)

own_rows(
    "recovery_code",
    personal=["user_id", "used_at", "created_at"],
    secret=["code_hash"],
    reason="The person's recovery codes.",
)

own_rows(
    "export_download",
    personal=["user_id", "created_at", "expires_at"],
    secret=["token_hash"],
    reason="A pending download of the person's own export.",
)
