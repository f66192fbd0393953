"""A school signs up: everything or nothing, a verify e-mail whose link works once and opens the school."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from ogp_app.core.db import session as db_session
from ogp_app.core.db import unscoped
from ogp_app.models import AuditEvent, Membership, OneTimeToken, School, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.accounts import signup
from ogp_app.services.auth.passwords import WeakPassword
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.tokens import InvalidToken
from ogp_app.services.errors import DomainError, InvalidInput
from tests.support.accounts import STRONG, database_text, last_token, mails, row_counts

EMAIL = "anna@regenboog.example"


def _sign_up(
    email: str = EMAIL, school_name: str = "Basisschool De Regenboog", **values: str
) -> accounts.SignUpResult:
    args = {"name": "Anna de Vries", "password": STRONG, "language": "nl", **values}
    with unscoped() as db:
        return accounts.sign_up_school_admin(db, email=email, school_name=school_name, **args)


def _verify(raw: str) -> accounts.Verified:
    with db_session() as db:
        return accounts.verify_email(db, raw_token=raw)


def test_sign_up_creates_unverified_admin_pending_school_and_mails_the_link(clean_db: None) -> None:
    result = _sign_up(email="  Anna@Regenboog.EXAMPLE ")
    with unscoped() as db:
        user = db.get(User, result.user_id)
        school = db.get(School, result.school_id)
        membership = db.exec(select(Membership)).one()
    assert user is not None and school is not None
    assert user.email == EMAIL and user.display_name == "Anna de Vries" and user.preferred_language == "nl"
    assert user.email_verified_at is None
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert (school.name, school.slug, school.status) == (
        "Basisschool De Regenboog",
        "basisschool-de-regenboog",
        "pending",
    )
    assert (membership.user_id, membership.school_id, membership.role) == (user.id, school.id, "school_admin")
    [mail] = mails()
    assert (mail.to_email, mail.template, mail.language, mail.user_id) == (
        EMAIL,
        "verify_email",
        "nl",
        user.id,
    )
    assert "Anna de Vries" in mail.text_body and "48 uur" in mail.text_body
    raw = last_token(EMAIL, "verify_email", "/verify")
    assert raw not in database_text() and STRONG not in database_text()


def test_verify_link_works_once_verifies_and_activates_the_school(clean_db: None) -> None:
    result = _sign_up()
    raw = last_token(EMAIL, "verify_email", "/verify")
    assert _verify(raw) == accounts.Verified(user_id=result.user_id, school_id=result.school_id)
    with unscoped() as db:
        user, school = db.get(User, result.user_id), db.get(School, result.school_id)
        events = [e.event for e in db.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()]
    assert user is not None and user.email_verified_at is not None
    assert school is not None and school.status == "active"
    assert events == ["signed_up", "email_verified"]
    with pytest.raises(InvalidToken):
        _verify(raw)


def test_expired_verify_link_is_refused_and_the_school_stays_pending(clean_db: None) -> None:
    result = _sign_up()
    raw = last_token(EMAIL, "verify_email", "/verify")
    with unscoped() as db:
        token = db.exec(select(OneTimeToken)).one()
        assert token.expires_at - token.created_at == timedelta(hours=48)
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.add(token)
        db.commit()
    with pytest.raises(InvalidToken):
        _verify(raw)
    with unscoped() as db:
        school = db.get(School, result.school_id)
    assert school is not None and school.status == "pending"


def test_sign_up_with_an_existing_email_creates_nothing_and_tells_the_owner(clean_db: None) -> None:
    _sign_up()
    before = row_counts()
    for email in (EMAIL, "ANNA@regenboog.example "):
        with pytest.raises(accounts.EmailTaken) as caught:
            _sign_up(email=email, school_name="Een Andere School", name="Iemand Anders")
        assert "Regenboog" not in str(caught.value) and "Anna" not in str(caught.value)
    after = row_counts()
    assert after["school"] == before["school"] and after["user"] == before["user"]
    assert after["membership"] == before["membership"] and after["one_time_token"] == before["one_time_token"]
    notices = mails(template="signup_existing_account")
    assert [m.to_email for m in notices] == [EMAIL, EMAIL]
    # The owner's mail does not echo what the stranger typed, and it holds no sign-in link.
    assert all("Een Andere School" not in m.text_body and "token=" not in m.text_body for m in notices)
    assert "/login" in notices[0].text_body and "/forgot-password" in notices[0].text_body


@pytest.mark.parametrize(
    ("values", "error", "key"),
    [
        ({"email": "geen-adres"}, accounts.InvalidEmail, "accounts.error.email_invalid"),
        ({"email": "a@b"}, accounts.InvalidEmail, "accounts.error.email_invalid"),
        (
            {"email": "anna@regenboog.example\nBcc: x@y.nl"},
            accounts.InvalidEmail,
            "accounts.error.email_invalid",
        ),
        ({"email": "x" * 65 + "@example.org"}, accounts.InvalidEmail, "accounts.error.email_invalid"),
        ({"name": "   "}, accounts.InvalidName, "accounts.error.name_invalid"),
        ({"name": "x" * 201}, accounts.InvalidName, "accounts.error.name_invalid"),
        ({"name": "Anna\x00"}, accounts.InvalidName, "accounts.error.name_invalid"),
        ({"school_name": ""}, accounts.InvalidSchoolName, "accounts.error.school_name_invalid"),
        ({"password": "wachtwoord123"}, WeakPassword, "accounts.password.common"),
        ({"password": "kort"}, WeakPassword, "accounts.password.too_short"),
        ({"password": EMAIL}, WeakPassword, "accounts.password.personal"),
        ({"language": "de"}, InvalidInput, "error.invalid_input"),
    ],
)
def test_invalid_sign_up_is_refused_and_creates_nothing(
    clean_db: None, values: dict[str, str], error: type[DomainError], key: str
) -> None:
    before = row_counts()
    with pytest.raises(error) as caught:
        _sign_up(**values)
    assert caught.value.message_key == key
    assert row_counts() == before


def test_school_slugs_are_unique_and_readable(clean_db: None) -> None:
    first = _sign_up(email="a@example.org", school_name="De Regenboog")
    second = _sign_up(email="b@example.org", school_name="De  Regenboog!")
    third = _sign_up(email="c@example.org", school_name="Ĳsselschool 't Kofschip — Zwolle")
    with unscoped() as db:
        slugs = [db.get(School, r.school_id).slug for r in (first, second, third)]  # type: ignore[union-attr]
    assert slugs == ["de-regenboog", "de-regenboog-2", "ijsselschool-t-kofschip-zwolle"]
    assert signup.slug_base("???") == "school"


def test_slug_taken_between_read_and_insert_is_retried(
    clean_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent sign-up wins the slug: the unique index refuses ours and the next free one is used."""
    _sign_up(email="a@example.org", school_name="De Regenboog")
    real = signup._free_slug
    calls: list[str] = []

    def stale_then_real(db: Session, base: str) -> str:
        calls.append(base)
        return "de-regenboog" if len(calls) == 1 else real(db, base)

    monkeypatch.setattr(signup, "_free_slug", stale_then_real)
    result = _sign_up(email="b@example.org", school_name="De Regenboog")
    with unscoped() as db:
        assert db.get(School, result.school_id).slug == "de-regenboog-2"  # type: ignore[union-attr]
        assert len(db.exec(select(School)).all()) == 2
    assert len(calls) == 2


def test_unverified_admin_cannot_log_in_until_verified(clean_db: None) -> None:
    result = _sign_up()
    with db_session() as db, pytest.raises(accounts.EmailNotVerified) as caught:
        accounts.authenticate(db, email=EMAIL, password=STRONG, ip="198.51.100.1")
    assert caught.value.message_key == "accounts.error.email_not_verified"
    _verify(last_token(EMAIL, "verify_email", "/verify"))
    with db_session() as db:
        assert accounts.authenticate(db, email=EMAIL, password=STRONG, ip="198.51.100.1") == result.user_id


def test_resend_verification_replaces_the_link(clean_db: None) -> None:
    result = _sign_up()
    old = last_token(EMAIL, "verify_email", "/verify")
    with db_session() as db:
        accounts.resend_verification(db, email=EMAIL, ip="198.51.100.1")
    new = last_token(EMAIL, "verify_email", "/verify")
    assert new != old
    with pytest.raises(InvalidToken):
        _verify(old)
    assert _verify(new).school_id == result.school_id
    with unscoped() as db:
        assert db.get(School, result.school_id).status == "active"  # type: ignore[union-attr]


def test_resend_verification_looks_the_same_for_unknown_and_verified_addresses(clean_db: None) -> None:
    _sign_up()
    _verify(last_token(EMAIL, "verify_email", "/verify"))
    sent = len(mails())
    with db_session() as db:
        accounts.resend_verification(db, email=EMAIL, ip=None)
        accounts.resend_verification(db, email="niemand@example.org", ip=None)
    assert len(mails()) == sent


def test_resend_verification_is_rate_limited_per_address(clean_db: None) -> None:
    _sign_up()
    with db_session() as db:
        for _ in range(3):
            accounts.resend_verification(db, email=EMAIL, ip=None)
        with pytest.raises(RateLimited):
            accounts.resend_verification(db, email=EMAIL, ip=None)
    assert len(mails(template="verify_email")) == 4  # the sign-up mail and three resends
