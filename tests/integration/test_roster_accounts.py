"""After an import the admin invites guardians and teachers, sees who accepted, and can resend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.core.db import session as db_session
from ogp_app.models import Guardian, Membership, Role, School, Teacher, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.roster_admin import roster_accounts
from ogp_app.services.roster_import import run_import
from tests.support.accounts import last_token, mails
from tests.support.factories import Factory

CORPUS = Path(__file__).parent.parent / "fixtures" / "roster"


@pytest.fixture
def school_with_roster(factory: Factory) -> tuple[School, User]:
    school = factory.school("OBS De Linde")
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user("beheer@linde.example"))
    assert school.id is not None
    with school_session(school.id) as db:
        run_import(db, school_id=school.id, data=(CORPUS / "magister_comma.csv").read_bytes())
    return school, admin


def _people(school: School, admin: User) -> dict[str, roster_accounts.PersonStatus]:
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        return {p.email: p for p in roster_accounts.people(db, school_id=school.id, admin_user_id=admin.id)}


def test_invite_all_then_accept_links_the_roster_rows(school_with_roster: tuple[School, User]) -> None:
    school, admin = school_with_roster
    assert school.id is not None and admin.id is not None
    before = _people(school, admin)
    assert {p.status for p in before.values()} == {"not_invited"}
    assert {p.kind for p in before.values()} == {"guardian", "teacher"}
    with school_session(school.id) as db:
        sent = roster_accounts.invite_all_new(db, school_id=school.id, admin_user_id=admin.id, language="nl")
    assert sent == 5  # 3 guardians, 2 mentors
    after = _people(school, admin)
    assert {p.status for p in after.values()} == {"pending"}
    with school_session(school.id) as db:
        guardian = db.exec(select(Guardian).where(Guardian.email == "berg1@example.org")).one()
        teacher = db.exec(select(Teacher).where(Teacher.email == "j.bakker@college.example")).one()
        roles = set(db.exec(select(Membership.role).where(Membership.user_id == guardian.user_id)).all())
        teacher_roles = set(
            db.exec(select(Membership.role).where(Membership.user_id == teacher.user_id)).all()
        )
    assert guardian.user_id is not None and roles == {"parent"}
    assert teacher.user_id is not None and teacher_roles == {"teacher"}
    # A second round sends nothing new.
    with school_session(school.id) as db:
        assert (
            roster_accounts.invite_all_new(db, school_id=school.id, admin_user_id=admin.id, language="nl")
            == 0
        )
    raw = last_token("berg1@example.org", "invitation", "/invitation")
    with db_session() as db:
        accounts.accept_invitation(db, raw_token=raw)
    assert _people(school, admin)["berg1@example.org"].status == "accepted"


def test_acceptance_links_a_row_imported_after_the_invitation(factory: Factory) -> None:
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        accounts.invite_member(
            db,
            school_id=school.id,
            inviter_user_id=admin.id,
            email="visser.thuis@example.org",
            name="Fam. Visser",
            role="parent",
            language="nl",
        )
    with school_session(school.id) as db:
        run_import(db, school_id=school.id, data=(CORPUS / "magister_comma.csv").read_bytes())
        # the import links the existing account already; undo that to test the accept path on its own
        guardian = db.exec(select(Guardian).where(Guardian.email == "visser.thuis@example.org")).one()
        user_id = guardian.user_id
        guardian.user_id = None
        db.add(guardian)
        db.commit()
    raw = last_token("visser.thuis@example.org", "invitation", "/invitation")
    with db_session() as db:
        accounts.accept_invitation(db, raw_token=raw)
    with school_session(school.id) as db:
        assert (
            db.exec(select(Guardian.user_id).where(Guardian.email == "visser.thuis@example.org")).one()
            == user_id
        )


def test_resend_mails_a_fresh_link(school_with_roster: tuple[School, User]) -> None:
    school, admin = school_with_roster
    assert school.id is not None and admin.id is not None
    person = _people(school, admin)["berg2@example.org"]
    for _ in range(2):
        with school_session(school.id) as db:
            roster_accounts.invite_person(
                db,
                school_id=school.id,
                admin_user_id=admin.id,
                kind="guardian",
                person_id=person.person_id,
                language="nl",
            )
    assert len(mails(to="berg2@example.org", template="invitation")) == 2
    assert _people(school, admin)["berg2@example.org"].status == "pending"


def test_only_the_schools_admin_and_only_its_own_people(
    school_with_roster: tuple[School, User], factory: Factory
) -> None:
    school, admin = school_with_roster
    other = factory.school()
    other_admin = factory.member(other, Role.SCHOOL_ADMIN)
    teacher_user = factory.member(school, Role.TEACHER)
    assert school.id is not None and other.id is not None and other_admin.id is not None
    person = _people(school, admin)["berg1@example.org"]
    with school_session(school.id) as db, pytest.raises(PermissionDenied):
        assert teacher_user.id is not None
        roster_accounts.people(db, school_id=school.id, admin_user_id=teacher_user.id)
    # Another school's admin, in their own scope, cannot reach this school's guardian by id.
    with school_session(other.id) as db, pytest.raises(InvalidInput):
        roster_accounts.invite_person(
            db,
            school_id=other.id,
            admin_user_id=other_admin.id,
            kind="guardian",
            person_id=person.person_id,
            language="nl",
        )
    with school_session(other.id) as db, pytest.raises(InvalidInput):
        roster_accounts.invite_person(
            db, school_id=other.id, admin_user_id=other_admin.id, kind="pupil", person_id=1, language="nl"
        )
    assert mails(to="berg1@example.org") == []


def test_a_teacher_who_already_uses_the_school_is_not_invited_again(factory: Factory) -> None:
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    bakker = factory.user("j.bakker@college.example", email_verified_at=utcnow())
    factory.member(school, Role.TEACHER, bakker)
    factory.member(school, Role.TEACHER, factory.user("s.yilmaz@college.example"))  # never verified
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        run_import(db, school_id=school.id, data=(CORPUS / "magister_comma.csv").read_bytes())
    people = _people(school, admin)
    assert people["j.bakker@college.example"].status == "accepted"
    assert people["s.yilmaz@college.example"].status == "not_invited"
    with school_session(school.id) as db:
        assert (
            roster_accounts.invite_all_new(db, school_id=school.id, admin_user_id=admin.id, language="en")
            == 4
        )
    assert mails(to="j.bakker@college.example") == []
