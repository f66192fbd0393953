"""Versions of the privacy statement and processor agreement, and who accepted which."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import Session

from ogp_app.services.privacy.registry import (
    Erase,
    Person,
    Subject,
    by_user_id,
    declare,
    no_personal_data,
    rowcount,
    unlink_user,
)

no_personal_data("policy_version", reason="Published versions of our documents; about no person.")


def _unlink(db: Session, table: Table, person: Person) -> int:
    """A school's acceptance of the processor agreement stays as its record; the person's link goes.

    The person's own acceptances (no school) go entirely.
    """
    own = rowcount(
        db.execute(table.delete().where(table.c.user_id == person.user_id, table.c.school_id.is_(None)))
    )
    return own + unlink_user(db, table, person, "user_id")


declare(
    "policy_acceptance",
    subject=Subject.USER,
    personal=["user_id", "document", "version", "accepted_at"],
    reason="Proof of consent (who, which version, when): the person's own goes with them, a school's "
    "acceptance of the processor agreement stays with the school without the account link.",
    erase=Erase.ANONYMISE,
    user_rows=by_user_id(),
    eraser=_unlink,
)
