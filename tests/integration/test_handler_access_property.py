"""The handler boundary's decisions as properties over every kind of caller and access.

Two places decide who may run a handler's work: the fresh path (the session row resolved again) and the
cached path of the /book rush (services.auth.identity_cache). They must decide alike for every caller.
Both must follow the rule the ``Access`` docstring states, and the session a call gets must follow from
its access alone: roles -> the caller's school, ``unscoped`` -> every school (named), else no school data.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogp_app.core.db import SCOPE_KEY, UNSCOPED_KEY
from ogp_app.models import Role
from ogp_app.services import handler_calls
from ogp_app.services.auth import identity_cache
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import Access, Call, authorize, run_call

SCHOOL = 7
identities = st.builds(
    Identity,
    user_id=st.just(1),
    display_name=st.just("Sanne"),
    email=st.just("sanne@example.org"),
    language=st.just("nl"),
    is_staff=st.booleans(),
    school_id=st.sampled_from([None, SCHOOL]),
    school_name=st.just(None),
    roles=st.frozensets(st.sampled_from([r.value for r in Role])),
    second_factor_enrolled=st.booleans(),
    second_factor_required=st.booleans(),
    school_frozen=st.booleans(),
)
role_tuples = st.lists(st.sampled_from(list(Role)), unique=True, max_size=3).map(tuple)
accesses = st.builds(
    Access,
    roles=role_tuples,
    staff=st.booleans(),
    allow_unenrolled=st.booleans(),
    allow_consent_due=st.booleans(),
    allow_frozen=st.booleans(),
    unscoped=st.sampled_from(["", "test: every school"]),
)


def _decision(access: Access, identity: Identity, consent_due: bool) -> object:
    """What ``authorize`` decides for this caller: the identity, or the kind of refusal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handler_calls, "resolve_session", lambda _token: identity)
        patch.setattr(handler_calls, "consent_is_due", lambda _identity: consent_due)
        patch.setattr(
            identity_cache,
            "cached_identity",
            lambda _token, consent_due, fresh: (identity, consent_due(identity)),
        )
        try:
            return authorize("a-token", access)
        except DomainError as refusal:
            return type(refusal)


@settings(max_examples=300, deadline=None)
@given(access=accesses, identity=identities, consent_due=st.booleans())
def test_the_cached_path_decides_as_the_fresh_one(
    access: Access, identity: Identity, consent_due: bool
) -> None:
    cacheable = replace(access, allow_unenrolled=False, allow_consent_due=False, allow_frozen=False)
    fresh = _decision(cacheable, identity, consent_due)
    for page_load in (False, True):
        assert _decision(replace(cacheable, cached=True, fresh=page_load), identity, consent_due) == fresh


@settings(max_examples=300, deadline=None)
@given(access=accesses, identity=identities, consent_due=st.booleans())
def test_a_caller_is_admitted_exactly_when_the_access_says(
    access: Access, identity: Identity, consent_due: bool
) -> None:
    held = identity.roles & {r.value for r in access.roles}
    admitted = (
        (access.allow_unenrolled or not identity.must_enrol_second_factor)
        and (access.allow_consent_due or not consent_due)
        and (identity.is_staff or not access.staff)
        and (
            not access.roles
            or (
                identity.school_id is not None
                and bool(held)
                and (access.allow_frozen or not identity.school_frozen)
            )
        )
    )
    assert (_decision(access, identity, consent_due) is identity) == admitted


@settings(max_examples=60, deadline=None)
@given(access=accesses, identity=identities)
def test_the_session_follows_from_the_access_alone(access: Access, identity: Identity) -> None:
    """Roles give the caller's school and nothing wider; ``unscoped`` (named) every school; else none."""

    def scope_of(call: Call) -> tuple[object, object]:
        return call.db.info.get(SCOPE_KEY), call.db.info.get(UNSCOPED_KEY)

    caller = replace(identity, school_id=SCHOOL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handler_calls, "authorize", lambda _token, _access: caller)
        scope, every_school = run_call("a-token", access, scope_of)
    if access.unscoped:
        assert (scope, every_school) == (None, True)
    elif access.roles:
        assert (scope, every_school) == (SCHOOL, None)
    else:
        assert (scope, every_school) == (None, None)
