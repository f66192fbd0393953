"""Conference rounds (bookings and their slots are declared by the bookings module)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, or_, select

from ogp_app.services.privacy.registry import Erase, Person, Subject, declare, no_personal_data, unlinking

no_personal_data("conference_round", reason="A round's name, dates and settings; about no person.")


def _children_of(table: Table, person: Person) -> Any:
    guardian, link = table.metadata.tables["guardian"], table.metadata.tables["pupil_guardian"]
    return (
        select(link.c.pupil_id)
        .join(guardian, guardian.c.id == link.c.guardian_id)
        .where(guardian.c.user_id == person.user_id)
        .scalar_subquery()
    )


declare(
    "family_reminder",
    subject=Subject.PUPIL,
    personal=["pupil_id", "household_key", "sent_by_user_id", "sent_at"],
    reason="When the school asked a family to book: the school's record of its round. The sender's "
    "account link goes when that person deletes their account.",
    erase=Erase.ANONYMISE,
    user_rows=lambda table, person: or_(
        table.c.sent_by_user_id == person.user_id, table.c.pupil_id.in_(_children_of(table, person))
    ),
    eraser=unlinking("sent_by_user_id"),
)
