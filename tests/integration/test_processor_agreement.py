"""The verwerkersovereenkomst: accepted with its version and time, and downloadable as PDF by the admin
of the school it names, filled with that school's details; no other school's admin or role gets it."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from ogp_app.core.db import school_session
from ogp_app.models import Membership, PolicyAcceptance, Role, School, User
from ogp_app.models.base import utcnow
from ogp_app.services import onboarding
from ogp_app.services.onboarding import policies
from ogp_app.services.onboarding.policies import AGREEMENT_VERSION
from tests.integration.test_billing_pdf_route import enrolled_admin, get
from tests.support.factories import Factory

PATH = "/api/school/processor-agreement.pdf"


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _school(factory: Factory, name: str, brin: str) -> School:
    return factory.school(
        name, street_address="Lindelaan 12", postal_code="3511 AB", city="Utrecht", brin_code=brin
    )


def test_acceptance_stores_the_agreements_version_and_time_and_a_new_version_asks_again(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = _school(factory, "De Linde", "12AB")
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    assert school.id is not None and admin.id is not None
    before = utcnow()
    with school_session(school.id) as db:
        assert not onboarding.agreement_current(db, school_id=school.id)
        accepted = onboarding.accept_processor_agreement(db, school_id=school.id, admin_user_id=admin.id)
        row = db.exec(select(PolicyAcceptance).where(PolicyAcceptance.school_id == school.id)).one()
        assert onboarding.agreement_current(db, school_id=school.id)
    assert accepted.version == row.version == AGREEMENT_VERSION
    assert (row.document, row.user_id) == ("processor_agreement", admin.id)
    assert before - timedelta(seconds=1) <= row.accepted_at <= utcnow()
    monkeypatch.setattr(policies, "AGREEMENT_VERSION", "2099.1")  # a new text: accept again
    with school_session(school.id) as db:
        assert not onboarding.agreement_current(db, school_id=school.id)


def test_each_admin_downloads_their_own_schools_agreement_and_nobody_else_gets_one(factory: Factory) -> None:
    linde, eik = (
        _school(factory, "Basisschool De Linde", "12AB"),
        _school(factory, "Basisschool De Eik", "34CD"),
    )
    linde_admin, eik_admin = enrolled_admin(factory, linde), enrolled_admin(factory, eik)
    unaccepted = get(PATH, linde_admin)
    assert unaccepted.status_code == 200 and unaccepted.headers["cache-control"] == "no-store"
    assert (
        f'filename="verwerkersovereenkomst-{AGREEMENT_VERSION}.pdf"'
        in unaccepted.headers["content-disposition"]
    )
    text = _text(unaccepted.content)
    assert "Basisschool De Linde" in text and "BRIN 12AB" in text and "De Eik" not in text
    assert f"Versie {AGREEMENT_VERSION}: nog niet aanvaard" in text
    for part in ("Privacybijsluiter", "Beveiligingsbijlage", "argon2id", "Stripe", "Bewaartermijn"):
        assert part in text, part

    eik_text = _text(get(PATH, eik_admin).content)
    assert "Basisschool De Eik" in eik_text and "BRIN 34CD" in eik_text and "De Linde" not in eik_text

    parent = factory.session_token(factory.member(linde, Role.PARENT), linde)
    teacher = factory.session_token(factory.member(linde, Role.TEACHER), linde)
    unenrolled = factory.session_token(factory.member(linde, Role.SCHOOL_ADMIN, factory.user()), linde)
    refusals = {
        "anonymous": get(PATH).status_code,
        "parent": get(PATH, parent).status_code,
        "teacher": get(PATH, teacher).status_code,
        "admin without 2FA": get(PATH, unenrolled).status_code,
    }
    assert refusals == {"anonymous": 401, "parent": 403, "teacher": 403, "admin without 2FA": 403}


def test_the_pdf_names_the_acceptance_with_version_time_and_who(factory: Factory) -> None:
    school = _school(factory, "Basisschool De Linde", "12AB")
    token = enrolled_admin(factory, school)
    assert school.id is not None
    with school_session(school.id) as db:
        user = db.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == col(User.id))
            .where(Membership.school_id == school.id)
        ).one()
        assert user.id is not None
        accepted = onboarding.accept_processor_agreement(db, school_id=school.id, admin_user_id=user.id)
    moment = accepted.accepted_at.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%d-%m-%Y om %H:%M")
    text = _text(get(PATH, token).content)
    assert f"Versie {AGREEMENT_VERSION}, digitaal aanvaard op {moment} door {user.display_name}" in text
