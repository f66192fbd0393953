"""Onboarding of a new school: details saved all-or-nothing, the agreement recorded, the checklist."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import PolicyAcceptance, PolicyVersion, Role, School, Teacher, User
from ogp_app.models.base import utcnow
from ogp_app.services import onboarding
from ogp_app.services.development.demo import DEMO_ACCOUNTS, seed_demo
from ogp_app.services.onboarding import OnboardingIncomplete, SchoolDetails, SchoolDetailsInvalid
from tests.support.accounts import mails
from tests.support.factories import Factory

DETAILS = SchoolDetails(
    name="Basisschool De Vlinder",
    brin_code="12ab",
    street_address="Kerkstraat 1",
    postal_code="1234 AB",
    city="Utrecht",
    invoice_email="admin@vlinder.example",
    kvk_number="12345678",
)


def _ids(factory: Factory) -> tuple[int, int]:
    school = factory.school("Nieuwe school")
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    assert school.id is not None and admin.id is not None
    return school.id, admin.id


def test_a_new_school_walks_the_checklist(factory: Factory) -> None:
    school_id, admin_id = _ids(factory)
    with school_session(school_id) as db:
        first = onboarding.checklist(db, school_id=school_id, admin_user_id=admin_id)
        assert not any(first.done.values()) and first.next_step == "details"
        with pytest.raises(OnboardingIncomplete):
            onboarding.complete_onboarding(db, school_id=school_id, admin_user_id=admin_id)
        assert onboarding.needs_onboarding(db, school_id=school_id)

        onboarding.update_school_details(db, school_id=school_id, admin_user_id=admin_id, details=DETAILS)
        accepted = onboarding.accept_processor_agreement(db, school_id=school_id, admin_user_id=admin_id)
        onboarding.invite_to_school(
            db,
            school_id=school_id,
            inviter_user_id=admin_id,
            email="Juf.Kim@vlinder.example",
            name="Juf Kim",
            role="teacher",
            language="nl",
        )
        steps = onboarding.checklist(db, school_id=school_id, admin_user_id=admin_id)
        assert steps.done == {
            "details": True,
            "agreement": True,
            "colleagues": True,
            "roster": False,
            "done": False,
        }
        assert steps.next_step == "roster" and steps.can_finish
        onboarding.complete_onboarding(db, school_id=school_id, admin_user_id=admin_id)
        assert not onboarding.needs_onboarding(db, school_id=school_id)
        # the invited teacher is on the roster, linked to the account the invitation made
        teacher = db.exec(select(Teacher).where(Teacher.email == "juf.kim@vlinder.example")).one()
        assert teacher.user_id is not None
    assert accepted.version == onboarding.policies.AGREEMENT_VERSION
    assert [m.to_email for m in mails(template="invitation")] == ["juf.kim@vlinder.example"]
    with unscoped() as db:
        school = db.get(School, school_id)
        assert school is not None
        assert (school.brin_code, school.kvk_number, school.vat_number) == ("12AB", "12345678", None)
        row = db.exec(select(PolicyAcceptance)).one()
        assert (row.user_id, row.school_id, row.document) == (admin_id, school_id, "processor_agreement")
        assert row.version == onboarding.policies.AGREEMENT_VERSION
        assert (utcnow() - row.accepted_at).total_seconds() < 60


def test_bad_details_write_nothing(factory: Factory) -> None:
    school_id, admin_id = _ids(factory)
    bad = SchoolDetails(**{**DETAILS.__dict__, "brin_code": "1234", "city": "Amersfoort"})
    with school_session(school_id) as db, pytest.raises(SchoolDetailsInvalid) as caught:
        onboarding.update_school_details(db, school_id=school_id, admin_user_id=admin_id, details=bad)
    assert caught.value.errors == {"brin_code": "onboarding.error.brin_code"}
    with unscoped() as db:
        school = db.get(School, school_id)
        assert school is not None and school.city is None and school.brin_code is None


def test_the_agreement_has_versions_of_its_own_apart_from_the_privacy_statement(factory: Factory) -> None:
    """A new privacy statement (for persons) does not replace the school's processor agreement; a new
    agreement version does (tests/integration/test_processor_agreement.py)."""
    school_id, admin_id = _ids(factory)
    with unscoped() as db:
        db.add(PolicyVersion(document="privacy_statement", version="2.0", text_ref="test"))
        db.commit()
    with school_session(school_id) as db:
        accepted = onboarding.accept_processor_agreement(db, school_id=school_id, admin_user_id=admin_id)
        assert accepted.version == onboarding.policies.AGREEMENT_VERSION
    with unscoped() as db:
        db.add(
            PolicyVersion(document="privacy_statement", version="3.0", text_ref="test", material_change=True)
        )
        db.commit()
    with school_session(school_id) as db:
        assert onboarding.agreement_current(db, school_id=school_id)
        assert onboarding.checklist(db, school_id=school_id, admin_user_id=admin_id).done["agreement"]


def test_the_demo_school_has_finished_onboarding(raw_session: Session) -> None:
    result = seed_demo(raw_session)
    seed_demo(raw_session)  # idempotent: still one acceptance
    admin = raw_session.exec(select(User).where(User.email == DEMO_ACCOUNTS["admin"])).one()
    assert admin.id is not None
    with school_session(result.school_id) as db:
        assert not onboarding.needs_onboarding(db, school_id=result.school_id)
        steps = onboarding.checklist(db, school_id=result.school_id, admin_user_id=admin.id)
        assert steps.done["details"] and steps.done["agreement"] and steps.done["roster"]
    acceptances = raw_session.exec(select(PolicyAcceptance)).all()
    assert [(a.user_id, a.school_id) for a in acceptances] == [(admin.id, result.school_id)]
