"""Core statements of the hot paths bypass the ORM's tenant scope, so each must name the school itself:
school_statement refuses, when it is built, one that leaves a school-owned table unfiltered."""

from __future__ import annotations

import pytest
from sqlalchemy import String, TypeDecorator, bindparam, exists, insert, select, type_coerce
from sqlalchemy.sql.elements import BindParameter

import ogp_app.models  # noqa: F401  (every table known)
from ogp_app.core.db import SCHOOL_PARAM, TenantScopeMissing, execute_in_school, school_statement
from ogp_app.models import SchoolClass
from ogp_app.services.rounds import grid, parent_booking, statements
from ogp_app.services.rounds.statements import booking, round_teacher, slot, table
from tests.support.factories import Factory

SCHOOL: BindParameter[int] = bindparam(SCHOOL_PARAM)


def test_every_statement_of_the_hot_paths_passed_the_check() -> None:
    for statement in (
        parent_booking.FACTS,
        parent_booking.BOOK_AT_ONCE,
        parent_booking.INSERT,
        statements._FAMILY_JOINT,
        statements._FAMILY_HOUSEHOLD,
        grid.GRID,
    ):
        assert school_statement(statement) is statement


@pytest.mark.parametrize(
    "statement",
    [
        select(slot.c.id),  # no filter at all
        select(slot.c.id).where(slot.c.school_id == bindparam("other")),  # another parameter
        select(slot.c.id).join(booking, booking.c.slot_id == slot.c.id).where(slot.c.school_id == SCHOOL),
        select(slot.alias("x").c.id).where(slot.c.school_id == SCHOOL),  # the alias is not filtered
        select(slot.c.id).where(  # a subquery's own table
            slot.c.school_id == SCHOOL, exists().where(booking.c.slot_id == slot.c.id)
        ),
        select(slot.c.id).where(  # a nested EXISTS that renders `slot` again instead of correlating
            slot.c.school_id == SCHOOL,
            exists().where(
                round_teacher.c.school_id == SCHOOL,
                exists().where(booking.c.school_id == SCHOOL, booking.c.teacher_id == slot.c.teacher_id),
            ),
        ),
        insert(booking).values(school_id=bindparam("chosen_by_caller")),
        insert(booking).from_select(  # INSERT ... SELECT with a school id from the caller
            ["school_id", "slot_id"],
            select(bindparam("chosen_by_caller"), slot.c.id).where(slot.c.school_id == SCHOOL),
        ),
        insert(booking).from_select(  # ... or from an unfiltered table
            ["school_id", "slot_id"], select(slot.c.school_id, slot.c.id)
        ),
    ],
)
def test_a_statement_leaving_a_school_table_unfiltered_is_refused(statement: object) -> None:
    with pytest.raises(TenantScopeMissing):
        school_statement(statement)  # type: ignore[type-var]


def test_tables_without_a_school_need_no_filter() -> None:
    users = table("user")
    assert school_statement(select(users.c.id)) is not None


def test_running_one_needs_a_school_scope(factory: object) -> None:
    from ogp_app.core.db import session

    with session() as db, pytest.raises(TenantScopeMissing):
        execute_in_school(db, grid.GRID, {"round_id": 1, "teacher_id": 1})


def test_only_a_statement_that_passed_the_check_runs_in_a_school(factory: object) -> None:
    from ogp_app.core.db import rows_in_school, school_session, write_alone_in_school

    filtered_but_unchecked = select(slot.c.id).where(slot.c.school_id == SCHOOL)  # fine, but never checked
    with school_session(1) as db:
        for run in (execute_in_school, write_alone_in_school, rows_in_school):
            with pytest.raises(TenantScopeMissing):
                run(db, filtered_but_unchecked, {})
        checked = school_statement(select(slot.c.id).where(slot.c.school_id == SCHOOL))
        assert execute_in_school(db, checked, {}).all() == []  # runs: school 1 has no slots here


_CLASS_NAMES = school_statement(
    select(table("school_class").c.name).where(table("school_class").c.school_id == SCHOOL)
)


def test_a_read_sees_its_sessions_transaction_and_runs_alone_without_one(factory: Factory) -> None:
    """rows_in_school reads inside the session's open transaction (its own uncommitted rows included);
    without one it runs on its own and leaves none open."""
    from ogp_app.core.db import rows_in_school, school_session

    school = factory.school()
    assert school.id is not None
    with school_session(school.id) as db:
        db.add(SchoolClass(school_id=school.id, name="4B"))
        db.flush()
        assert [row.name for row in rows_in_school(db, _CLASS_NAMES, {})] == ["4B"]
        db.rollback()
        assert rows_in_school(db, _CLASS_NAMES, {}) == []
        assert not db.in_transaction()


class _Shouted(TypeDecorator[str]):
    """A column type that converts what it reads (as an enum or a JSON column would)."""

    impl = String
    cache_ok = True

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else value.upper()


_SHOUTED_NAMES = school_statement(
    select(type_coerce(table("school_class").c.name, _Shouted)).where(
        table("school_class").c.school_id == SCHOOL
    )
)


def test_a_read_whose_rows_need_converting_gets_them_converted(factory: Factory) -> None:
    """The driver's direct path hands back values as the driver reads them: a statement with a column
    type that converts them goes through the engine instead, alone or in a transaction."""
    from ogp_app.core.db import rows_in_school, school_session

    school = factory.school()
    assert school.id is not None
    with school_session(school.id) as db:
        db.add(SchoolClass(school_id=school.id, name="groep 4b"))
        db.commit()
        assert [tuple(row) for row in rows_in_school(db, _SHOUTED_NAMES, {})] == [("GROEP 4B",)]
        db.connection()
        assert [tuple(row) for row in rows_in_school(db, _SHOUTED_NAMES, {})] == [("GROEP 4B",)]
