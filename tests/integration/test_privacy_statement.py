"""The privacy statement, versioned: publishing, e-mail to every account, acceptance, the re-consent rule."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.models import OutboxMessage, PolicyAcceptance, PolicyVersion, Role, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.privacy import statement
from ogp_app.services.privacy.view import access_view
from tests.support.accounts import STRONG, last_token
from tests.support.factories import Factory

TEXTS = {
    "body_nl": "Wij gebruiken uw gegevens alleen om gesprekken te plannen.\n\nNieuw: korter bewaren.",
    "body_en": "We use your data only to plan meetings.\n\nNew: we keep data for a shorter time.",
    "summary_nl": "Bewaartermijn van e-mails verkort naar 60 dagen.",
    "summary_en": "E-mails are now kept for 60 days instead of 90.",
}


def _publish(
    db: Session, staff: User, version: str, *, material: bool = False, texts: dict[str, str] | None = None
) -> Any:
    assert staff.id is not None
    given = {**TEXTS, **(texts or {})}
    return statement.publish(
        db,
        staff_user_id=staff.id,
        version=version,
        material_change=material,
        body_nl=given["body_nl"],
        body_en=given["body_en"],
        summary_nl=given["summary_nl"],
        summary_en=given["summary_en"],
    )


def _active(factory: Factory, email: str, language: str = "nl") -> User:
    return factory.user(email, preferred_language=language, email_verified_at=utcnow())


def test_before_any_publication_the_built_in_version_is_in_force_and_in_the_history(
    raw_session: Session,
) -> None:
    current = statement.in_force(raw_session)
    assert current.version == "1.0" and current.built_in and not current.material_change
    assert [v.version for v in statement.history(raw_session)] == ["1.0"]
    assert statement.find(raw_session, "1.0") == current
    assert statement.find(raw_session, "9.9") is None


def test_staff_publish_a_version_everyone_is_mailed_in_their_language(
    factory: Factory, raw_session: Session
) -> None:
    staff = _active(factory, "staff@ogp.example")
    staff.is_staff = True
    factory.session.add(staff)
    factory.session.commit()
    school = factory.school()
    anna = factory.member(school, Role.PARENT, _active(factory, "anna@example.org", "nl"))
    john = factory.member(school, Role.TEACHER, _active(factory, "john@example.org", "en"))
    factory.user("invited@example.org", preferred_language="en")  # invited, not yet signed in: told too

    published = _publish(raw_session, staff, "1.1", material=True)

    assert published.version == "1.1" and published.material_change and not published.built_in
    current = statement.in_force(raw_session)
    assert (current.version, current.body_en, current.summary_nl) == (
        "1.1",
        TEXTS["body_en"],
        TEXTS["summary_nl"],
    )
    assert [v.version for v in statement.history(raw_session)] == ["1.1", "1.0"]
    mails = raw_session.exec(select(OutboxMessage).order_by(col(OutboxMessage.to_email))).all()
    assert [m.to_email for m in mails] == [
        "anna@example.org",
        "invited@example.org",
        "john@example.org",
        "staff@ogp.example",
    ]
    by_address = {m.to_email: m for m in mails}
    nl, en = by_address[anna.email], by_address[john.email]
    assert nl.subject == "Onze privacyverklaring is gewijzigd: versie 1.1"
    assert TEXTS["summary_nl"] in nl.text_body and "wezenlijke wijziging" in nl.text_body
    assert en.subject == "Our privacy statement changed: version 1.1"
    assert TEXTS["summary_en"] in en.text_body and "material change" in en.text_body
    assert "http://localhost:3000/privacy/history" in en.text_body
    assert 'href="http://localhost:3000/privacy/history"' in en.html_body
    assert nl.user_id == anna.id and en.user_id == john.id


@pytest.mark.parametrize(
    ("version", "texts", "message_key"),
    [
        ("", {}, "consent.error.version_format"),
        ("1.1 beta", {}, "consent.error.version_format"),
        ("1.0", {}, "consent.error.version_exists"),
        ("0.9", {}, "consent.error.version_lower"),
        ("1.00", {}, "consent.error.version_lower"),  # the same number as 1.0 written differently
        ("1.1", {"body_nl": "   "}, "consent.error.body_nl_empty"),
        ("1.1", {"body_en": ""}, "consent.error.body_en_empty"),
        ("1.1", {"summary_nl": "\n"}, "consent.error.summary_nl_empty"),
        ("1.1", {"summary_en": "x" * 1001}, "consent.error.summary_en_long"),
    ],
)
def test_publishing_refuses_bad_input_and_writes_nothing(
    factory: Factory, raw_session: Session, version: str, texts: dict[str, str], message_key: str
) -> None:
    staff = factory.user("staff@ogp.example", is_staff=True, email_verified_at=utcnow())
    _active(factory, "anna@example.org")
    with pytest.raises(InvalidInput) as refused:
        _publish(raw_session, staff, version, texts=texts)
    assert refused.value.message_key == message_key
    assert raw_session.exec(select(PolicyVersion)).all() == []
    assert raw_session.exec(select(OutboxMessage)).all() == []


def test_versions_must_increase_and_only_staff_publish(factory: Factory, raw_session: Session) -> None:
    staff = factory.user("staff@ogp.example", is_staff=True)
    parent = _active(factory, "anna@example.org")
    with pytest.raises(PermissionDenied):
        _publish(raw_session, parent, "1.1")
    _publish(raw_session, staff, "1.10")
    with pytest.raises(InvalidInput) as lower:
        _publish(raw_session, staff, "1.9")  # 1.9 < 1.10: numbers, not text
    assert lower.value.message_key == "consent.error.version_lower"
    with pytest.raises(InvalidInput) as again:
        _publish(raw_session, staff, "1.10")
    assert again.value.message_key == "consent.error.version_exists"
    _publish(raw_session, staff, "2.0")
    assert [v.version for v in statement.history(raw_session)] == ["2.0", "1.10", "1.0"]


def test_a_failing_mail_leaves_no_version_and_no_mail(
    factory: Factory, raw_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = factory.user("staff@ogp.example", is_staff=True)
    _active(factory, "anna@example.org")
    _active(factory, "bert@example.org")
    real = statement.outbox.enqueue
    calls = []

    def second_fails(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["to"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(statement.outbox, "enqueue", second_fails)
    with pytest.raises(RuntimeError):
        _publish(raw_session, staff, "1.1", material=True)
    with unscoped() as db:
        assert db.exec(select(PolicyVersion)).all() == []
        assert db.exec(select(OutboxMessage)).all() == []
        assert statement.in_force(db).version == "1.0"


def test_consent_is_due_only_after_a_material_change_newer_than_the_last_acceptance(
    factory: Factory, raw_session: Session
) -> None:
    staff = factory.user("staff@ogp.example", is_staff=True)
    anna = _active(factory, "anna@example.org")
    assert anna.id is not None
    assert not statement.consent_due(raw_session, user_id=anna.id)  # built-in 1.0: nothing to accept
    _publish(raw_session, staff, "1.1")  # not material: announced, no gate
    assert not statement.consent_due(raw_session, user_id=anna.id)
    _publish(raw_session, staff, "2.0", material=True)
    assert statement.consent_due(raw_session, user_id=anna.id)
    assert statement.accept(raw_session, user_id=anna.id) == "2.0"
    assert not statement.consent_due(raw_session, user_id=anna.id)
    _publish(raw_session, staff, "2.1")  # a later minor version does not ask again
    assert not statement.consent_due(raw_session, user_id=anna.id)
    _publish(raw_session, staff, "3.0", material=True)
    assert statement.consent_due(raw_session, user_id=anna.id)
    _publish(raw_session, staff, "3.1")  # accepting 3.1 (in force) covers the material 3.0
    assert statement.accept(raw_session, user_id=anna.id) == "3.1"
    assert not statement.consent_due(raw_session, user_id=anna.id)
    rows = raw_session.exec(select(PolicyAcceptance).where(PolicyAcceptance.user_id == anna.id)).all()
    assert sorted(r.version for r in rows) == ["2.0", "3.1"]
    assert all(r.school_id is None and r.document == "privacy_statement" for r in rows)


def test_a_school_accepting_the_processor_agreement_is_no_personal_acceptance(
    factory: Factory, raw_session: Session
) -> None:
    staff = factory.user("staff@ogp.example", is_staff=True)
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN, _active(factory, "admin@example.org"))
    assert school.id is not None and admin.id is not None
    _publish(raw_session, staff, "2.0", material=True)
    with school_session(school.id) as db:
        from ogp_app.services.onboarding.policies import accept_processor_agreement

        accept_processor_agreement(db, school_id=school.id, admin_user_id=admin.id)
    with db_session() as db:
        assert statement.consent_due(db, user_id=admin.id)


def test_signing_up_records_the_acceptance_of_the_version_in_force(factory: Factory) -> None:
    staff = factory.user("staff@ogp.example", is_staff=True)
    with unscoped() as db:
        _publish(db, staff, "1.1", material=True)
        result = accounts.sign_up_school_admin(
            db,
            email="anna@regenboog.example",
            name="Anna de Vries",
            password=STRONG,
            school_name="De Regenboog",
            language="nl",
        )
    with unscoped() as db:
        rows = db.exec(select(PolicyAcceptance).where(PolicyAcceptance.user_id == result.user_id)).all()
        assert [(r.document, r.version, r.school_id) for r in rows] == [("privacy_statement", "1.1", None)]
        assert not statement.consent_due(db, user_id=result.user_id)
        view = access_view(db, user_id=result.user_id, school_id=result.school_id)
    assert [(r.b, r.c) for r in view.consents] == [("1.1", "privacy_statement")]  # shown in the centre


def test_accepting_an_invitation_records_the_acceptance(factory: Factory) -> None:
    school = factory.school("De Regenboog")
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user("beheer@regenboog.example"))
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        user_id = accounts.invite_member(
            db,
            school_id=school.id,
            inviter_user_id=admin.id,
            email="sanne@example.org",
            role="parent",
            name="Sanne de Vries",
            language="nl",
        )
    with unscoped() as db:
        assert db.exec(select(PolicyAcceptance).where(PolicyAcceptance.user_id == user_id)).all() == []
    with db_session() as db:
        accounts.accept_invitation(db, raw_token=last_token("sanne@example.org", "invitation", "/invitation"))
    with unscoped() as db:
        rows = db.exec(select(PolicyAcceptance).where(PolicyAcceptance.user_id == user_id)).all()
    assert [(r.document, r.version) for r in rows] == [("privacy_statement", "1.0")]
