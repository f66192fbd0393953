"""Inviting an address that already has an account (issue 20, item 4): the invitation stays pending and
gives the account nothing until its owner accepts; until then the inviting school sees only what it typed,
exactly as for a new address, and nothing of the account (its name, language, other schools, existence)."""

from __future__ import annotations

import asyncio
from dataclasses import asdict

import pyotp
import pytest
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.models import Role, School, User
from ogp_app.models.base import utcnow
from ogp_app.pages.school.settings.state import SchoolSettingsState
from ogp_app.services import accounts, onboarding
from ogp_app.services.accounts import account_settings
from ogp_app.services.auth import two_factor
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.roster_admin import roster_accounts
from tests.support.accounts import STRONG, last_token, mails
from tests.support.factories import Factory
from tests.support.states import state_with_cookie

EXISTING = "sanne@example.org"  # a teacher at De Klimop, with her own name and language
NEW = "piet@example.org"


@pytest.fixture
def regenboog(factory: Factory) -> tuple[School, User]:
    school = factory.school("De Regenboog")
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user("beheer@regenboog.example", "Anna Beheer"))
    klimop = factory.school("De Klimop")
    sanne = factory.user(
        EXISTING,
        "Sanne Eigen-Naam",
        preferred_language="en",
        password_hash=hash_password(STRONG),
        email_verified_at=utcnow(),
    )
    factory.member(klimop, Role.TEACHER, sanne)
    return school, admin


def _ids(school: School, admin: User) -> tuple[int, int]:
    assert school.id is not None and admin.id is not None
    return school.id, admin.id


def _invite_colleague(school: School, admin: User, email: str, name: str) -> int:
    school_id, admin_id = _ids(school, admin)
    with school_session(school_id) as db:
        return account_settings.invite_colleague(
            db,
            school_id=school_id,
            inviter_user_id=admin_id,
            email=email,
            name=name,
            role="teacher",
            language="nl",
        )


def _colleagues(school: School, admin: User) -> dict[str, dict[str, object]]:
    """What /school/settings lists, by address, without the internal user id."""
    school_id, admin_id = _ids(school, admin)
    with school_session(school_id) as db:
        rows = account_settings.colleagues(db, school_id=school_id, admin_user_id=admin_id)
    return {row.email: {k: v for k, v in asdict(row).items() if k != "user_id"} for row in rows}


def _schools_of(user_id: int) -> list[tuple[str, tuple[str, ...]]]:
    with unscoped() as db:
        return [(c.name, c.roles) for c in accounts.memberships_of(db, user_id=user_id)]


def test_the_school_sees_what_it_typed_and_the_account_gets_nothing_until_accepted(
    regenboog: tuple[School, User],
) -> None:
    school, admin = regenboog
    sanne = _invite_colleague(school, admin, " SANNE@example.org", "Mevr. S. de Vries")
    _invite_colleague(school, admin, NEW, "Piet Nieuw")
    listed = _colleagues(school, admin)
    assert listed[EXISTING] == {
        "name": "Mevr. S. de Vries",
        "email": EXISTING,
        "roles": ("teacher",),
        "status": "pending",
    }
    assert listed[NEW] == {"name": "Piet Nieuw", "email": NEW, "roles": ("teacher",), "status": "pending"}
    assert "Sanne Eigen-Naam" not in str(listed) and "Klimop" not in str(listed)
    # the account holds no role at De Regenboog yet, and its owner sees no new school
    assert _schools_of(sanne) == [("De Klimop", ("teacher",))]

    school_id, admin_id = _ids(school, admin)
    with school_session(school_id) as db:  # a fresh link replaces the first; still pending, same name
        accounts.resend_invitation(db, school_id=school_id, inviter_user_id=admin_id, user_id=sanne)
    assert len(mails(to=EXISTING, template="invitation")) == 2
    assert _colleagues(school, admin)[EXISTING]["name"] == "Mevr. S. de Vries"

    with db_session() as db:
        assert accounts.accept_invitation(
            db, raw_token=last_token(EXISTING, "invitation", "/invitation")
        ) == (
            sanne,
            school_id,
        )
    assert _schools_of(sanne) == [("De Klimop", ("teacher",)), ("De Regenboog", ("teacher",))]
    assert _colleagues(school, admin)[EXISTING]["status"] == "accepted"


def test_a_roster_guardian_with_an_account_elsewhere_becomes_a_parent_here_only_on_accepting(
    regenboog: tuple[School, User], factory: Factory
) -> None:
    school, admin = regenboog
    school_id, admin_id = _ids(school, admin)
    row = factory.guardian(school, email=EXISTING)
    assert row.id is not None
    with school_session(school_id) as db:
        roster_accounts.invite_person(
            db, school_id=school_id, admin_user_id=admin_id, kind="guardian", person_id=row.id, language="nl"
        )
        people = {p.email: p for p in roster_accounts.people(db, school_id=school_id, admin_user_id=admin_id)}
    assert (people[EXISTING].name, people[EXISTING].status) == (row.display_name, "pending")
    with unscoped() as db:
        user_id = db.exec(select(User.id).where(User.email == EXISTING)).one()
    assert user_id is not None
    assert _schools_of(user_id) == [("De Klimop", ("teacher",))]
    with db_session() as db:
        accounts.accept_invitation(db, raw_token=last_token(EXISTING, "invitation", "/invitation"))
    assert _schools_of(user_id) == [("De Klimop", ("teacher",)), ("De Regenboog", ("parent",))]


def test_onboarding_counts_an_invitation_to_an_existing_account_like_one_to_a_new_address(
    regenboog: tuple[School, User],
) -> None:
    school, admin = regenboog
    school_id, admin_id = _ids(school, admin)
    with school_session(school_id) as db:
        assert (
            onboarding.checklist(db, school_id=school_id, admin_user_id=admin_id).done["colleagues"] is False
        )
    _invite_colleague(school, admin, EXISTING, "Mevr. S. de Vries")
    with school_session(school_id) as db:
        assert (
            onboarding.checklist(db, school_id=school_id, admin_user_id=admin_id).done["colleagues"] is True
        )


def test_the_schools_settings_page_lists_the_typed_name_only(
    regenboog: tuple[School, User], factory: Factory
) -> None:
    """/school/settings' on_load, as the school's admin's websocket would call it."""
    school, admin = regenboog
    assert admin.id is not None
    with unscoped() as db:
        enrolment = two_factor.begin_enrolment(db, user_id=admin.id, account_label=admin.email)
        two_factor.confirm_enrolment(db, user_id=admin.id, code=pyotp.TOTP(enrolment.secret).now())
    _invite_colleague(school, admin, EXISTING, "Mevr. S. de Vries")
    state = state_with_cookie(SchoolSettingsState, f"ogp_session={factory.session_token(admin, school)}")
    asyncio.run(SchoolSettingsState.event_handlers["load_settings"].fn(state))
    shown = {view.email: (view.name, view.roles, view.status) for view in state.colleagues}
    assert shown[EXISTING] == ("Mevr. S. de Vries", ["teacher"], "pending")
    assert "Sanne Eigen-Naam" not in str(state.dict())
