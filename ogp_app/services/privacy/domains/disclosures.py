"""The legal disclosure register."""

from __future__ import annotations

from sqlalchemy import Table, select, update
from sqlmodel import Session

from ogp_app.services.privacy.registry import Erase, Person, Subject, declare, rowcount


def _forget_recorder(db: Session, table: Table, person: Person) -> int:
    """A staff member who leaves: the disclosure stays (a legal record), without their account id."""
    return rowcount(
        db.execute(
            update(table)
            .where(table.c.recorded_by_user_id == person.user_id)
            .values(recorded_by_user_id=None)
        )
    )


def _pseudonymise_subject(db: Session, table: Table, person: Person) -> int:
    """The register must still show that a disclosure concerned someone: a pseudonym replaces the id."""
    return rowcount(
        db.execute(
            update(table)
            .where(table.c.user_id == person.user_id)
            .values(user_id=None, subject_pseudonym=person.pseudonym)
        )
    )


declare(
    "legal_disclosure",
    subject=Subject.USER,
    personal=["authority", "disclosed_on", "scope", "recorded_by_user_id"],
    reason="A legal record of what was handed over; kept, without the recording staff member's id.",
    erase=Erase.ANONYMISE,
    user_rows=lambda table, person: table.c.id.in_(
        select(table.metadata.tables["legal_disclosure_subject"].c.disclosure_id).where(
            table.metadata.tables["legal_disclosure_subject"].c.user_id == person.user_id
        )
    ),
    eraser=_forget_recorder,
)

declare(
    "legal_disclosure_subject",
    subject=Subject.USER,
    personal=["user_id", "notified_at"],
    reason="Whom a disclosure concerned; after account deletion only a pseudonym.",
    erase=Erase.PSEUDONYMISE,
    user_rows=lambda table, person: table.c.user_id == person.user_id,
    eraser=_pseudonymise_subject,
)
