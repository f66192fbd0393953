"""A school being deleted is read-only at once: roles hold only where a handler allows the frozen state."""

from __future__ import annotations

import pytest

from ogp_app.models import Role
from ogp_app.services.auth.sessions import Identity, SchoolFrozen
from ogp_app.services.errors import PermissionDenied


def _identity(*, frozen: bool, roles: frozenset[str] = frozenset({Role.SCHOOL_ADMIN.value})) -> Identity:
    return Identity(
        user_id=1,
        display_name="Beheer",
        email="beheer@school.example",
        language="nl",
        is_staff=False,
        school_id=7,
        school_name="De Regenboog",
        roles=roles,
        school_frozen=frozen,
    )


def test_admin_of_a_live_school_holds_the_role() -> None:
    _identity(frozen=False).require_role(Role.SCHOOL_ADMIN)


def test_admin_of_a_frozen_school_may_only_do_what_allows_the_frozen_state() -> None:
    frozen = _identity(frozen=True)
    with pytest.raises(SchoolFrozen) as caught:
        frozen.require_role(Role.SCHOOL_ADMIN, Role.TEACHER)
    assert caught.value.message_key == "error.school_frozen"
    frozen.require_role(Role.SCHOOL_ADMIN, allow_frozen=True)  # export and undo in the privacy centre


def test_missing_role_is_refused_whatever_the_school_state() -> None:
    for frozen in (False, True):
        parent = _identity(frozen=frozen, roles=frozenset({Role.PARENT.value}))
        with pytest.raises(PermissionDenied):
            parent.require_role(Role.SCHOOL_ADMIN, allow_frozen=True)
