"""The legal disclosure register: staff record, the people concerned are told and see it."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from ogp_app.cli import main as cli
from ogp_app.models import LegalDisclosure, LegalDisclosureSubject, OutboxMessage, Role
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.privacy import erasure
from ogp_app.services.privacy.disclosures import disclosures_about, record_disclosure
from tests.support.factories import Factory
from tests.support.privacy_scan import traces_of_person


def test_staff_record_a_disclosure_the_people_concerned_are_mailed_and_see_it(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school()
    staff = factory.user("staff@ogp.example", is_staff=True)
    parent = factory.member(school, Role.PARENT, factory.user("p@example.org", preferred_language="en"))
    bystander = factory.member(school, Role.PARENT)
    assert staff.id and parent.id and bystander.id
    with pytest.raises(PermissionDenied):
        record_disclosure(
            raw_session,
            staff_user_id=parent.id,
            authority="Politie",
            disclosed_on=date(2026, 3, 1),
            scope="x",
            subject_emails=[parent.email],
        )
    with pytest.raises(InvalidInput, match=r"nobody@example\.org"):
        record_disclosure(
            raw_session,
            staff_user_id=staff.id,
            authority="Politie",
            disclosed_on=date(2026, 3, 1),
            scope="Naam en e-mailadres",
            subject_emails=[parent.email, "nobody@example.org"],
        )
    assert raw_session.exec(select(LegalDisclosure)).all() == []  # nothing half-written
    record_disclosure(
        raw_session,
        staff_user_id=staff.id,
        authority="Politie Midden-Nederland",
        disclosed_on=date(2026, 3, 1),
        scope="Naam en e-mailadres, op grond van art. 126nd Sv",
        subject_emails=[parent.email],
    )
    mail = raw_session.exec(select(OutboxMessage).where(OutboxMessage.to_email == parent.email)).one()
    assert mail.template == "legal_disclosure" and "Politie Midden-Nederland" in mail.text_body
    assert mail.subject == "We had to hand over data about you"
    rows = disclosures_about(raw_session, user_id=parent.id)
    assert [(r.disclosed_on, r.authority) for r in rows] == [("01-03-2026", "Politie Midden-Nederland")]
    assert disclosures_about(raw_session, user_id=bystander.id) == []
    erasure.erase_user(raw_session, user_id=parent.id)
    assert traces_of_person(user_id=parent.id, email=parent.email) == []
    subject = raw_session.exec(select(LegalDisclosureSubject)).one()
    assert subject.user_id is None and subject.subject_pseudonym == erasure.pseudonym(parent.id)


def test_cli_records_a_disclosure(factory: Factory) -> None:
    factory.user("staff@ogp.example", is_staff=True)
    factory.user("p@example.org")
    args = [
        "disclosure",
        "record",
        "--staff",
        "staff@ogp.example",
        "--authority",
        "FIOD",
        "--date",
        "2026-01-05",
        "--scope",
        "Facturen",
        "--user",
        "p@example.org",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 people notified" in result.output
