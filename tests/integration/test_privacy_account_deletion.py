"""Deleting one's own account needs the password again, or a fresh e-mailed code."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from ogp_app.models import OutboxMessage, Role, User
from ogp_app.models.base import utcnow
from ogp_app.services.accounts import AccountLocked
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.errors import DomainError
from ogp_app.services.privacy import account_deletion
from ogp_app.services.privacy.account_deletion import ProofWrong
from tests.support.factories import Factory
from tests.support.privacy_scan import traces_of_person

PASSWORD = "een lange zin als wachtwoord"


def test_a_wrong_password_deletes_nothing_and_counts_towards_the_lock_out(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school()
    user = factory.member(school, Role.TEACHER, factory.user(password_hash=hash_password(PASSWORD)))
    assert user.id is not None
    for _ in range(10):
        with pytest.raises(ProofWrong):
            account_deletion.delete_own_account(raw_session, user_id=user.id, password="wrong")
    with pytest.raises(AccountLocked):
        account_deletion.delete_own_account(raw_session, user_id=user.id, password=PASSWORD)
    assert raw_session.get(User, user.id) is not None


def test_the_right_password_deletes_the_account(factory: Factory, raw_session: Session) -> None:
    school = factory.school()
    user = factory.member(school, Role.PARENT, factory.user(password_hash=hash_password(PASSWORD)))
    assert user.id is not None
    account_deletion.delete_own_account(raw_session, user_id=user.id, password=PASSWORD)
    assert traces_of_person(user_id=user.id, email=user.email) == []


def test_without_a_password_only_a_fresh_mailed_code_deletes(factory: Factory, raw_session: Session) -> None:
    school = factory.school()
    user = factory.member(school, Role.PARENT)
    assert user.id is not None
    with pytest.raises(ProofWrong):  # no code checked
        account_deletion.delete_own_account(raw_session, user_id=user.id)
    challenge = account_deletion.send_code(raw_session, user_id=user.id)
    mail = raw_session.exec(select(OutboxMessage).where(OutboxMessage.to_email == user.email)).one()
    found = re.search(r"\b(\d{6})\b", mail.text_body)
    assert found is not None and mail.template == "account_deletion_code"
    code = found.group(1)
    wrong = "000000" if code != "000000" else "111111"
    weaker = account_deletion.check_code(challenge, wrong)
    assert weaker is not None and weaker.tries_left == challenge.tries_left - 1
    expired = replace(challenge, expires_at=utcnow() - timedelta(seconds=1))
    with pytest.raises(DomainError, match="no valid code"):
        account_deletion.check_code(expired, code)
    spent = replace(challenge, tries_left=0)
    with pytest.raises(DomainError):
        account_deletion.check_code(spent, code)
    assert account_deletion.check_code(weaker, code) is None
    account_deletion.delete_own_account(raw_session, user_id=user.id, code_ok=True)
    assert traces_of_person(user_id=user.id, email=user.email) == []
