"""The tenant scope fails closed: no scope raises, scope A never yields school B, unscoped() sees all."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import aliased
from sqlmodel import col, delete, select, update

from ogp_app.core.db import TenantScopeMissing, school_session, session, unscoped
from ogp_app.models import Membership, Role, School, User
from tests.support.factories import Factory


@pytest.fixture
def two_schools(factory: Factory) -> tuple[School, School]:
    school_a = factory.school("School A")
    school_b = factory.school("School B")
    for role in (Role.SCHOOL_ADMIN, Role.TEACHER, Role.PARENT):
        factory.member(school_a, role)
        factory.member(school_b, role)
    factory.member(school_b, Role.PARENT)  # B has one more row than A
    return school_a, school_b


def test_query_without_scope_raises(two_schools: tuple[School, School]) -> None:
    with session() as db, pytest.raises(TenantScopeMissing):
        db.exec(select(Membership)).all()


def test_join_through_school_owned_table_without_scope_raises(two_schools: tuple[School, School]) -> None:
    with session() as db, pytest.raises(TenantScopeMissing):
        db.exec(select(User).join(Membership, col(Membership.user_id) == User.id)).all()


def test_bulk_update_and_delete_without_scope_raise(two_schools: tuple[School, School]) -> None:
    with session() as db:
        with pytest.raises(TenantScopeMissing):
            db.exec(update(Membership).values(role="parent"))
        with pytest.raises(TenantScopeMissing):
            db.exec(delete(Membership))


def test_unowned_tables_need_no_scope(two_schools: tuple[School, School]) -> None:
    with session() as db:
        assert len(db.exec(select(School)).all()) == 2


def test_scope_a_never_returns_rows_of_b(two_schools: tuple[School, School]) -> None:
    school_a, school_b = two_schools
    with school_session(school_a.id) as db:  # type: ignore[arg-type]
        rows = db.exec(select(Membership)).all()
        joined = db.exec(select(User.email).join(Membership, col(Membership.user_id) == User.id)).all()
        b_row_id = _any_membership_id(school_b)
        assert db.get(Membership, b_row_id) is None
        filtered = db.exec(select(Membership).where(Membership.school_id == school_b.id)).all()
    assert len(rows) == 3
    assert {row.school_id for row in rows} == {school_a.id}
    assert len(joined) == 3
    assert filtered == []


def test_scoped_bulk_update_and_delete_touch_only_own_school(two_schools: tuple[School, School]) -> None:
    school_a, school_b = two_schools
    with school_session(school_a.id) as db:  # type: ignore[arg-type]
        db.exec(update(Membership).values(role="parent"))
        db.exec(delete(Membership).where(col(Membership.role) == "parent"))
        db.commit()
    with unscoped() as db:
        remaining = db.exec(select(Membership)).all()
    assert {m.school_id for m in remaining} == {school_b.id}
    assert len(remaining) == 4


def test_write_into_other_school_is_refused(two_schools: tuple[School, School], factory: Factory) -> None:
    school_a, school_b = two_schools
    stranger = factory.user()
    with school_session(school_a.id) as db:  # type: ignore[arg-type]
        db.add(Membership(school_id=school_b.id, user_id=stranger.id, role=Role.PARENT.value))  # type: ignore[arg-type]
        with pytest.raises(TenantScopeMissing):
            db.commit()
    with session() as db:
        db.add(Membership(school_id=school_a.id, user_id=stranger.id, role=Role.PARENT.value))  # type: ignore[arg-type]
        with pytest.raises(TenantScopeMissing):
            db.commit()
    with unscoped() as db:
        assert db.exec(select(Membership).where(Membership.user_id == stranger.id)).all() == []


def test_moving_a_row_to_another_school_is_refused(two_schools: tuple[School, School]) -> None:
    school_a, school_b = two_schools
    with school_session(school_a.id) as db:  # type: ignore[arg-type]
        row = db.exec(select(Membership)).first()
        assert row is not None
        row.school_id = school_b.id  # type: ignore[assignment]
        db.add(row)
        with pytest.raises(TenantScopeMissing):
            db.commit()


def test_unscoped_sees_every_school(two_schools: tuple[School, School]) -> None:
    with unscoped() as db:
        rows = db.exec(select(Membership)).all()
    assert len(rows) == 7
    assert len({row.school_id for row in rows}) == 2


def test_scope_must_be_an_integer_id() -> None:
    for bad in (None, "1", True, 1.0):
        with pytest.raises(TenantScopeMissing), school_session(bad):  # type: ignore[arg-type]
            pass


def _any_membership_id(school: School) -> int:
    with unscoped() as db:
        row = db.exec(select(Membership).where(Membership.school_id == school.id)).first()
        assert row is not None and row.id is not None
        return row.id


def test_alternating_scopes_do_not_reuse_each_others_filter(two_schools: tuple[School, School]) -> None:
    """Compiled-statement caching must not carry school A's filter value into school B's query."""
    school_a, school_b = two_schools
    seen = []
    for school in (school_a, school_b, school_a, school_b):
        with school_session(school.id) as db:  # type: ignore[arg-type]
            seen.append({m.school_id for m in db.exec(select(Membership)).all()})
    assert seen == [{school_a.id}, {school_b.id}, {school_a.id}, {school_b.id}]


_MEMBERSHIP_ALIAS = aliased(Membership, name="other_membership")  # built once, as the services do


def test_aliases_of_school_owned_tables_are_scoped_too(two_schools: tuple[School, School]) -> None:
    """A self-join through an alias (built once at import, or per query) still sees only school A."""
    school_a, _school_b = two_schools
    for alias in (_MEMBERSHIP_ALIAS, aliased(Membership)):
        with school_session(school_a.id) as db:  # type: ignore[arg-type]
            only_alias = db.exec(select(alias.school_id)).all()
            joined = db.exec(
                select(alias.school_id).join(Membership, col(Membership.role) == col(alias.role))
            ).all()
        assert set(only_alias) == {school_a.id}
        assert set(joined) == {school_a.id}
    with session() as db, pytest.raises(TenantScopeMissing):
        db.exec(select(_MEMBERSHIP_ALIAS.school_id)).all()
