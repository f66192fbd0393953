"""The handler boundary's service side: who may run a handler's work, and which session the work gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlmodel import select

from ogp_app.core.db import TenantScopeMissing, get_engine
from ogp_app.models import Role, SchoolClass
from ogp_app.services.errors import NotAuthenticated, PermissionDenied, SecondFactorSetupRequired
from ogp_app.services.handler_calls import Access, Call, run_call, run_public
from tests.support.factories import Factory


def _class_names(call: Call) -> set[str]:
    return set(call.db.exec(select(SchoolClass.name)).all())


@pytest.fixture
def checkouts() -> Iterator[list[int]]:
    """Connections taken from the pool while the test runs."""
    taken: list[int] = []

    def count(*_args: object) -> None:
        taken.append(1)

    event.listen(get_engine(), "checkout", count)
    yield taken
    event.remove(get_engine(), "checkout", count)


def test_anyone_without_a_live_session_is_refused_before_the_work_runs(factory: Factory) -> None:
    ran: list[int] = []
    for token in (None, "", "x" * 43, "y" * 5000):
        with pytest.raises(NotAuthenticated):
            run_call(token, Access(), lambda call: ran.append(1))
    assert ran == []


def test_a_role_the_caller_lacks_at_the_session_school_is_refused(factory: Factory) -> None:
    school, other = factory.school("A"), factory.school("B")
    parent = factory.member(school, Role.PARENT)
    factory.member(other, Role.TEACHER, parent)  # a teacher elsewhere is no teacher here
    token = factory.session_token(parent, school)
    with pytest.raises(PermissionDenied):
        run_call(token, Access((Role.TEACHER,)), _class_names)
    assert run_call(token, Access((Role.PARENT,)), lambda call: call.school_id) == school.id


def test_with_roles_the_work_sees_only_the_session_school(factory: Factory) -> None:
    school, other = factory.school("A"), factory.school("B")
    factory.school_class(school, "3A")
    factory.school_class(other, "7B")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    assert run_call(token, Access((Role.PARENT,)), _class_names) == {"3A"}


def test_without_roles_the_work_gets_no_school_data(factory: Factory) -> None:
    school = factory.school("A")
    factory.school_class(school, "3A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    with pytest.raises(TenantScopeMissing):
        run_call(token, Access(), _class_names)


def test_only_a_named_unscoped_access_crosses_schools(factory: Factory) -> None:
    school, other = factory.school("A"), factory.school("B")
    factory.school_class(school, "3A")
    factory.school_class(other, "7B")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    assert run_call(token, Access(unscoped="test: every school"), _class_names) == {"3A", "7B"}


def test_an_admin_without_an_authenticator_may_only_enrol(factory: Factory) -> None:
    school = factory.school("A")
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    token = factory.session_token(admin, school)
    with pytest.raises(SecondFactorSetupRequired):
        run_call(token, Access((Role.SCHOOL_ADMIN,)), _class_names)
    assert run_call(token, Access(allow_unenrolled=True), lambda call: call.identity.user_id) == admin.id


def test_the_session_is_opened_only_when_the_work_uses_it(factory: Factory, checkouts: list[int]) -> None:
    school = factory.school("A")
    parent = factory.member(school, Role.PARENT)
    token = factory.session_token(parent, school)
    run_call(token, Access((Role.PARENT,)), lambda call: None)  # the first resolve also writes last_seen
    checkouts.clear()
    run_call(token, Access((Role.PARENT,)), lambda call: None)
    checks = len(checkouts)  # the identity's own queries
    checkouts.clear()
    run_call(token, Access((Role.PARENT,)), _class_names)
    assert len(checkouts) == checks + 1


def test_a_cached_access_cannot_skip_the_checks_it_relies_on() -> None:
    for flags in ({"allow_unenrolled": True}, {"allow_consent_due": True}, {"allow_frozen": True}):
        with pytest.raises(ValueError):
            Access((Role.PARENT,), cached=True, **flags)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Access((Role.PARENT,), fresh=True)  # fresh without the cache would silently mean nothing


def test_a_public_call_has_no_identity_and_no_school_data(factory: Factory) -> None:
    factory.school_class(factory.school("A"), "3A")
    assert run_public(lambda call: not hasattr(call, "identity"))
    with pytest.raises(TenantScopeMissing):
        run_public(_class_names)  # type: ignore[arg-type]


def test_only_a_named_unscoped_public_call_crosses_schools(factory: Factory) -> None:
    factory.school_class(factory.school("A"), "3A")
    factory.school_class(factory.school("B"), "7B")
    assert run_public(_class_names, "test: sign-up makes a tenant") == {"3A", "7B"}  # type: ignore[arg-type]
