"""Deleting a school takes the same proof as deleting an account: the password again, or an e-mailed code."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from ogp_app.models import OutboxMessage, Role, School, SchoolStatus
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.privacy import account_deletion
from ogp_app.services.privacy.account_deletion import ProofWrong
from tests.support.factories import Factory

PASSWORD = "een lange zin als wachtwoord"


def _status(db: Session, school_id: int) -> str:
    db.expire_all()
    school = db.get(School, school_id)
    assert school is not None
    return school.status


def test_a_wrong_or_missing_password_freezes_nothing_the_right_one_does(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school("De Regenboog")
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user(password_hash=hash_password(PASSWORD)))
    assert admin.id is not None and school.id is not None
    for wrong in ("", "wrong password"):
        with pytest.raises(ProofWrong):
            account_deletion.delete_school(raw_session, user_id=admin.id, school_id=school.id, password=wrong)
    # An e-mailed code does not replace a password the admin has.
    with pytest.raises(ProofWrong):
        account_deletion.delete_school(raw_session, user_id=admin.id, school_id=school.id, code_ok=True)
    assert _status(raw_session, school.id) == SchoolStatus.ACTIVE
    account_deletion.delete_school(raw_session, user_id=admin.id, school_id=school.id, password=PASSWORD)
    assert _status(raw_session, school.id) == SchoolStatus.FROZEN


def test_a_teacher_or_another_schools_admin_cannot_delete_the_school(
    factory: Factory, raw_session: Session
) -> None:
    school, other = factory.school(), factory.school()
    teacher = factory.member(school, Role.TEACHER, factory.user(password_hash=hash_password(PASSWORD)))
    outsider = factory.member(other, Role.SCHOOL_ADMIN, factory.user(password_hash=hash_password(PASSWORD)))
    assert school.id is not None and teacher.id is not None and outsider.id is not None
    for user_id in (teacher.id, outsider.id):
        with pytest.raises(PermissionDenied):
            account_deletion.delete_school(
                raw_session, user_id=user_id, school_id=school.id, password=PASSWORD
            )
    assert _status(raw_session, school.id) == SchoolStatus.ACTIVE


def test_without_a_password_the_code_mail_names_the_school_and_is_required(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school("De Regenboog")
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    assert admin.id is not None and school.id is not None
    challenge = account_deletion.send_code(raw_session, user_id=admin.id, school_name="De Regenboog")
    mail = raw_session.exec(select(OutboxMessage)).one()
    assert mail.template == "school_deletion_code" and "De Regenboog" in mail.text_body
    found = re.search(r"\b(\d{6})\b", mail.text_body)
    assert found is not None
    with pytest.raises(ProofWrong):
        account_deletion.delete_school(raw_session, user_id=admin.id, school_id=school.id)
    assert account_deletion.check_code(challenge, found.group(1)) is None
    account_deletion.delete_school(raw_session, user_id=admin.id, school_id=school.id, code_ok=True)
    assert _status(raw_session, school.id) == SchoolStatus.FROZEN


def test_after_account_deletion_the_dead_cookie_is_cleared_but_a_live_one_is_kept(
    factory: Factory, raw_session: Session
) -> None:
    """/privacy/me loads /api/auth/drop-dead-cookie once the account is gone (a GET signs nobody out)."""
    from starlette.testclient import TestClient

    from ogp_app.api import build_api
    from ogp_app.services.auth.sessions import resolve_session

    user = factory.member(factory.school(), Role.PARENT, factory.user(password_hash=hash_password(PASSWORD)))
    bystander = factory.user()
    assert user.id is not None
    token, theirs = factory.session_token(user), factory.session_token(bystander)
    client = TestClient(build_api(), base_url="http://localhost:3000")
    client.cookies.set("ogp_session", theirs)
    kept = client.get("/api/auth/drop-dead-cookie")
    assert kept.status_code == 204 and "set-cookie" not in kept.headers
    assert resolve_session(theirs) is not None
    account_deletion.delete_own_account(raw_session, user_id=user.id, password=PASSWORD)
    client.cookies.set("ogp_session", token)
    dropped = client.get("/api/auth/drop-dead-cookie")
    assert dropped.status_code == 204 and dropped.headers["cache-control"] == "no-store"
    cookie = dropped.headers["set-cookie"]
    assert cookie.startswith("ogp_session=") and ("Max-Age=0" in cookie or 'ogp_session=""' in cookie)
    assert "HttpOnly" in cookie
