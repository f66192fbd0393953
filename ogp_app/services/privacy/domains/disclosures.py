"""The legal disclosure register."""

from __future__ import annotations

from sqlalchemy import Table, select, update
from sqlmodel import Session

from ogp_app.services.privacy.registry import Erase, Person, Subject, by_user_id, declare, rowcount, unlinking


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
    # A staff member who leaves: the disclosure stays (a legal record), without their account id.
    eraser=unlinking("recorded_by_user_id"),
)

declare(
    "legal_disclosure_subject",
    subject=Subject.USER,
    personal=["user_id", "notified_at"],
    reason="Whom a disclosure concerned; after account deletion only a pseudonym.",
    erase=Erase.PSEUDONYMISE,
    user_rows=by_user_id(),
    eraser=_pseudonymise_subject,
)
