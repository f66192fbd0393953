"""A school's roster. What the school entered stays the school's record when a parent or teacher leaves.

Decision (documented in README): when a person deletes their account, their Guardian/Teacher rows keep
the name the school entered (the school still needs to know who the child's parent is), but lose the
link to the account and the e-mail address (replaced by a pseudonymous ``@erased.invalid`` address, so
nothing reaches the person any more). A later roster import by the school may bring the address back:
that is the school's decision as controller. Pupils, households and their links stay untouched.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, select, update
from sqlmodel import Session

from ogp_app.services.privacy.registry import (
    Erase,
    Person,
    Subject,
    by_user_id,
    declare,
    no_personal_data,
    rowcount,
)


def _guardians_of(table: Table, person: Person) -> ColumnElement[bool]:
    guardian = table.metadata.tables["guardian"]
    return select(guardian.c.id).where(guardian.c.user_id == person.user_id).scalar_subquery()


def _unlink(db: Session, table: Table, person: Person) -> int:
    result = db.execute(
        update(table)
        .where(table.c.user_id == person.user_id)
        .values(user_id=None, email=f"{person.pseudonym}@erased.invalid")
    )
    return rowcount(result)


def _classes_of(table: Table, person: Person) -> ColumnElement[bool]:
    """The classes of the person's children and of the classes they teach: context for their export."""
    tables = table.metadata.tables
    pupil, link, teacher, class_teacher = (
        tables["pupil"],
        tables["pupil_guardian"],
        tables["teacher"],
        tables["class_teacher"],
    )
    children = select(pupil.c.class_id).where(
        pupil.c.id.in_(select(link.c.pupil_id).where(link.c.guardian_id.in_(_guardians_of(table, person))))
    )
    taught = select(class_teacher.c.class_id).where(
        class_teacher.c.teacher_id.in_(select(teacher.c.id).where(teacher.c.user_id == person.user_id))
    )
    return table.c.id.in_(children.union(taught))


no_personal_data("school_class", reason="Class names (groep 5, 2B) name no person.", context_rows=_classes_of)
no_personal_data(
    "class_teacher", reason="Links a roster teacher to a class; the teacher row holds the person."
)
no_personal_data("roster_mapping", reason="Saved column headings of a roster file.")

declare(
    "teacher",
    subject=Subject.SCHOOL,
    personal=["display_name", "email", "default_room", "user_id"],
    reason="The school's staff roster: the entry stays, without the account link and e-mail address.",
    erase=Erase.ANONYMISE,
    user_rows=by_user_id(),
    eraser=_unlink,
)

declare(
    "guardian",
    subject=Subject.HOUSEHOLD,
    personal=["display_name", "email", "language", "user_id", "household_id"],
    reason="The school entered the parent: the entry stays, without the account link and e-mail address.",
    erase=Erase.ANONYMISE,
    user_rows=by_user_id(),
    eraser=_unlink,
)

declare(
    "household",
    subject=Subject.HOUSEHOLD,
    personal=["label"],
    reason="The school's record of who lives together; kept by the school.",
    erase=Erase.KEEP,
    user_rows=lambda table, person: table.c.id.in_(
        select(table.metadata.tables["guardian"].c.household_id).where(
            table.metadata.tables["guardian"].c.user_id == person.user_id
        )
    ),
)

declare(
    "pupil",
    subject=Subject.PUPIL,
    personal=[
        "pupil_number",
        "first_name",
        "name_prefix",
        "last_name",
        "class_id",
        "family_key",
        "meeting_mode",
    ],
    reason="Pupil records belong to the school (its own retention), not to a parent's account.",
    erase=Erase.KEEP,
    user_rows=lambda table, person: table.c.id.in_(
        select(table.metadata.tables["pupil_guardian"].c.pupil_id).where(
            table.metadata.tables["pupil_guardian"].c.guardian_id.in_(_guardians_of(table, person))
        )
    ),
)

declare(
    "pupil_guardian",
    subject=Subject.HOUSEHOLD,
    personal=["pupil_id", "guardian_id"],
    reason="Which parent belongs to which child: the school's record.",
    erase=Erase.KEEP,
    user_rows=lambda table, person: table.c.guardian_id.in_(_guardians_of(table, person)),
)
