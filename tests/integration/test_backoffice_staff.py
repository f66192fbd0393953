"""Staff accounts (ogp create-staff), the school list, and opening a school only with a logged reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from ogp_app.cli import main
from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.models import AuditEvent, OutboxMessage, Role, StaffAccessLog, User
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.staff import backoffice
from tests.support.factories import Factory


def test_create_staff_makes_an_account_that_must_set_a_password_and_enrol_2fa(factory: Factory) -> None:
    result = CliRunner().invoke(main, ["create-staff", "Sam@OGP.example", "--name", "Sam Staff"])
    assert result.exit_code == 0, result.output
    assert "sam@ogp.example" in result.output and "two-step verification" in result.output
    with db_session() as db:
        user = db.exec(select(User).where(User.email == "sam@ogp.example")).one()
        [mail] = db.exec(select(OutboxMessage)).all()
        events = db.exec(select(AuditEvent.event).where(AuditEvent.subject_user_id == user.id)).all()
    assert user.is_staff and user.display_name == "Sam Staff" and user.password_hash is None
    assert mail.to_email == "sam@ogp.example" and "/reset-password?token=" in mail.text_body
    assert "role_granted" in events
    # Signed in (any way), a staff member without an authenticator may do nothing but enrol one.
    token = factory.session_token(user)
    identity = resolve_session(token)
    assert identity is not None and identity.is_staff and identity.must_enrol_second_factor


def test_create_staff_promotes_an_existing_account_without_a_new_password_link(factory: Factory) -> None:
    factory.user("ann@ogp.example", "Ann", password_hash="$argon2id$placeholder")
    result = CliRunner().invoke(main, ["create-staff", "ann@ogp.example"])
    assert result.exit_code == 0, result.output
    with db_session() as db:
        assert db.exec(select(User.is_staff).where(User.email == "ann@ogp.example")).one()
        assert db.exec(select(OutboxMessage)).all() == []


def test_create_staff_refuses_a_bad_address(factory: Factory) -> None:
    result = CliRunner().invoke(main, ["create-staff", "not an address"])
    assert result.exit_code != 0 and "refused" in result.output
    with db_session() as db:
        assert db.exec(select(User)).all() == []


def test_school_list_shows_status_pupils_and_last_activity(factory: Factory) -> None:
    busy = factory.school("Busy School", city="Delft")
    factory.school("Quiet School", status="pending")
    klas = factory.school_class(busy)
    factory.pupil(busy, klas)
    factory.pupil(busy, klas)
    admin = factory.member(busy, Role.SCHOOL_ADMIN)
    factory.session_token(admin, busy)
    with unscoped() as db:
        rows = {r.name: r for r in backoffice.school_list(db)}
    assert (rows["Busy School"].pupils, rows["Busy School"].status) == (2, "active")
    last = rows["Busy School"].last_activity
    assert last is not None and utcnow() - last < timedelta(minutes=5)
    assert (rows["Quiet School"].pupils, rows["Quiet School"].last_activity) == (0, None)
    assert rows["Quiet School"].subscription == ""


def test_opening_a_school_needs_a_reason_and_is_logged_for_the_school(factory: Factory) -> None:
    school = factory.school("De Regenboog")
    other = factory.school("Elders")
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user("anna@regenboog.example", "Anna"))
    staff = factory.user("sam@ogp.example", "Sam Staff", is_staff=True)
    assert staff.id is not None and school.id is not None and other.id is not None
    with unscoped() as db:
        with pytest.raises(backoffice.ReasonRequired):
            backoffice.open_school(db, staff_user_id=staff.id, school_id=school.id, reason="  because ")
        with pytest.raises(backoffice.UnknownSchool):
            backoffice.open_school(db, staff_user_id=staff.id, school_id=10**9, reason="a long enough reason")
        assert db.exec(select(StaffAccessLog)).all() == []
        detail = backoffice.open_school(
            db, staff_user_id=staff.id, school_id=school.id, reason="Question from Anna, message 12"
        )
    assert detail.name == "De Regenboog" and detail.admins == [(admin.display_name, admin.email)]
    assert [(e.staff_name, e.reason, e.opened) for e in detail.access_log] == [
        ("Sam Staff", "Question from Anna, message 12", "school_overview")
    ]
    # The school reads its own log through its own scope; another school sees nothing of it.
    with school_session(school.id) as db:
        assert len(db.exec(select(StaffAccessLog)).all()) == 1
    with school_session(other.id) as db:
        assert db.exec(select(StaffAccessLog)).all() == []


def test_only_staff_accounts_can_open_a_school(factory: Factory) -> None:
    school = factory.school()
    someone = factory.user()
    assert someone.id is not None and school.id is not None
    with unscoped() as db:
        with pytest.raises(backoffice.InvalidInput):
            backoffice.open_school(
                db, staff_user_id=someone.id, school_id=school.id, reason="curious, very much"
            )
        assert db.exec(select(col(StaffAccessLog.id))).all() == []
