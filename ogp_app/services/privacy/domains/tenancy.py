"""Schools and memberships."""

from __future__ import annotations

from sqlalchemy import Table, func, update
from sqlmodel import Session

from ogp_app.services.privacy.registry import Erase, Person, Subject, declare, own_rows, rowcount


def _drop_invoice_email(db: Session, table: Table, person: Person) -> int:
    """An admin who used their own address as the invoice address takes it with them."""
    result = db.execute(
        update(table).where(func.lower(table.c.invoice_email) == person.email).values(invoice_email=None)
    )
    return rowcount(result)


declare(
    "school",
    subject=Subject.SCHOOL,
    personal=["name", "street_address", "postal_code", "city", "invoice_email"],
    reason="The school's own record; purged with the school. Only an invoice address equal to the "
    "leaving person's e-mail is cleared.",
    erase=Erase.ANONYMISE,
    school_rows=lambda table, school_id: table.c.id == school_id,
    eraser=_drop_invoice_email,
)

own_rows(
    "membership",
    personal=["user_id", "role", "created_at"],
    reason="A person's role at a school exists only for their account.",
)
