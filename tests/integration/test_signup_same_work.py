"""Sign-up does the same work for a new and an existing address, so neither its answer nor its time tells
a stranger whether the address has an account (issue 20, item 4)."""

from __future__ import annotations

import pytest

from ogp_app.core.db import unscoped
from ogp_app.services import accounts
from ogp_app.services.accounts import signup
from ogp_app.services.auth.passwords import hash_password
from tests.support.accounts import STRONG, mails

EMAIL = "anna@regenboog.example"


def _sign_up(email: str) -> str:
    """What the caller learns: "created" or the EmailTaken the page answers exactly like it."""
    with unscoped() as db:
        try:
            accounts.sign_up_school_admin(
                db, email=email, name="Anna", password=STRONG, school_name="De Regenboog", language="nl"
            )
        except accounts.EmailTaken:
            return "taken"
    return "created"


def test_new_and_existing_address_each_hash_the_password_once_and_queue_one_mail(
    clean_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []

    def counting_hash(password: str) -> str:
        hashed.append(password)
        return hash_password(password)

    monkeypatch.setattr(signup, "hash_password", counting_hash)
    assert _sign_up(EMAIL) == "created"
    new_address = (len(hashed), len(mails(to=EMAIL)))
    hashed.clear()
    assert _sign_up(EMAIL) == "taken"
    existing_address = (len(hashed), len(mails(to=EMAIL)) - new_address[1])
    assert new_address == existing_address == (1, 1)


def test_an_existing_address_tried_often_answers_alike_once_its_mails_run_out(clean_db: None) -> None:
    assert _sign_up(EMAIL) == "created"
    answers = [_sign_up(EMAIL) for _ in range(6)]
    # no "too many attempts" that a new address would never get; the owner is mailed 3 times an hour
    assert answers == ["taken"] * 6
    assert len(mails(to=EMAIL, template="signup_existing_account")) == 3
