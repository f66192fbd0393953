"""Log-in, lock-out, password reset and sign-in links, as a user and as an attacker see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlmodel import col, select, update

from ogp_app.core.db import session as db_session
from ogp_app.core.db import unscoped
from ogp_app.i18n import translate
from ogp_app.models import AuditEvent, OneTimeToken, RateLimitHit, Role, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.auth import rate_limit
from ogp_app.services.auth.passwords import WeakPassword, hash_password
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.auth.tokens import InvalidToken
from tests.support.accounts import OTHER_STRONG, STRONG, database_text, last_token, mails
from tests.support.factories import Factory

EMAIL = "juf.jansen@regenboog.example"
IP = "198.51.100.23"


@pytest.fixture
def teacher(factory: Factory) -> User:
    school = factory.school("De Regenboog")
    user = factory.user(EMAIL, "Juf Jansen", password_hash=hash_password(STRONG), email_verified_at=utcnow())
    return factory.member(school, Role.TEACHER, user=user)


def _login(email: str = EMAIL, password: str = STRONG, ip: str | None = IP) -> int:
    with db_session() as db:
        return accounts.authenticate(db, email=email, password=password, ip=ip)


def _failure(
    email: str, password: str = "verkeerd-wachtwoord", ip: str | None = IP
) -> accounts.InvalidCredentials:
    with pytest.raises(accounts.InvalidCredentials) as caught:
        _login(email, password, ip)
    return caught.value


def _events() -> list[AuditEvent]:
    with unscoped() as db:
        return list(db.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())


def test_correct_password_logs_in_and_is_audited(teacher: User) -> None:
    assert _login(" Juf.Jansen@Regenboog.example ") == teacher.id
    [event] = _events()
    assert (event.event, event.subject_user_id, event.detail) == (
        "login_succeeded",
        teacher.id,
        {"method": "password"},
    )


def test_unknown_email_and_wrong_password_are_indistinguishable(teacher: User) -> None:
    wrong = _failure(EMAIL)
    unknown = _failure("niemand@regenboog.example")
    malformed = _failure("geen adres")
    seen = {(type(e), e.message_key, str(e), e.args) for e in (wrong, unknown, malformed)}
    assert len(seen) == 1
    assert (
        translate("accounts.error.invalid_credentials", "nl")
        == "Het e-mailadres of het wachtwoord klopt niet."
    )
    events = _events()
    assert [(e.event, e.detail) for e in events] == [("login_failed", {"reason": "bad_credentials"})] * 3
    assert "niemand" not in database_text() and IP not in database_text()


def test_account_without_password_cannot_log_in_with_any_password(factory: Factory) -> None:
    factory.user("ouder@example.org", email_verified_at=utcnow())
    for password in ("", STRONG, "None"):
        _failure("ouder@example.org", password)


def test_ten_failures_lock_the_account_with_a_clear_message(teacher: User) -> None:
    for _ in range(10):
        _failure(EMAIL)
    with pytest.raises(accounts.AccountLocked) as caught:
        _login()  # even the right password
    error = caught.value
    assert error.message_key == "accounts.error.locked"
    assert error.message_values == {"minutes": 15}
    text = translate(error.message_key, "nl", **error.message_values)
    assert "15 minuten" in text and "Wachtwoord vergeten" in text
    assert _events()[-1].detail == {"reason": "locked"}


def test_lock_out_is_per_address_and_applies_to_unknown_addresses_alike(
    teacher: User, factory: Factory
) -> None:
    colleague = factory.user(
        "collega@regenboog.example", password_hash=hash_password(STRONG), email_verified_at=utcnow()
    )
    for _ in range(10):
        _failure("niemand@regenboog.example")
    with pytest.raises(accounts.AccountLocked):
        _login("niemand@regenboog.example")
    assert _login() == teacher.id
    assert _login("collega@regenboog.example") == colleague.id


def test_lock_out_ends_after_the_window(teacher: User) -> None:
    for _ in range(10):
        _failure(EMAIL)
    with unscoped() as db:
        db.exec(update(RateLimitHit).values(created_at=utcnow() - timedelta(minutes=16)))
        db.commit()
    assert _login() == teacher.id


def test_success_resets_the_failure_count(teacher: User) -> None:
    for _ in range(9):
        _failure(EMAIL)
    _login()
    for _ in range(9):
        _failure(EMAIL)
    assert _login() == teacher.id


def test_too_many_failures_from_one_ip_are_refused(teacher: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rate_limit, "LOGIN_PER_IP", rate_limit.Limit(5, timedelta(minutes=15)))
    for n in range(5):
        _failure(f"persoon{n}@example.org")
    with pytest.raises(RateLimited) as caught:
        _login()
    assert caught.value.message_key == "accounts.error.too_many_attempts"
    assert _login(ip="192.0.2.1") == teacher.id  # another network is not affected
    assert _login(ip=None) == teacher.id


def test_the_per_ip_limit_is_fifty_and_per_account_ten() -> None:
    per_ip, per_account = rate_limit.LOGIN_PER_IP, rate_limit.LOGIN_PER_ACCOUNT
    assert (per_ip.limit, per_ip.window) == (50, timedelta(minutes=15))
    assert (per_account.limit, per_account.window) == (10, timedelta(minutes=15))


def test_old_hash_is_upgraded_at_log_in(factory: Factory) -> None:
    old = PasswordHasher.from_parameters(CHEAPEST).hash(STRONG)
    user = factory.user("oud@example.org", password_hash=old, email_verified_at=utcnow())
    assert _login("oud@example.org") == user.id
    with unscoped() as db:
        stored = db.get(User, user.id)
    assert stored is not None and stored.password_hash != old and "m=19456" in (stored.password_hash or "")
    assert _login("oud@example.org") == user.id


# Password reset ------------------------------------------------------------------------------------------


def _request_reset(email: str = EMAIL, ip: str | None = IP) -> None:
    with db_session() as db:
        accounts.request_password_reset(db, email=email, ip=ip)


def _reset(raw: str, password: str = OTHER_STRONG) -> int:
    with db_session() as db:
        return accounts.reset_password(db, raw_token=raw, new_password=password)


def test_reset_request_looks_the_same_for_unknown_addresses_and_mails_only_real_ones(teacher: User) -> None:
    _request_reset("niemand@regenboog.example")
    assert mails() == []
    _request_reset()
    [mail] = mails()
    assert (mail.to_email, mail.template) == (EMAIL, "password_reset")
    assert "1 uur" in mail.text_body


def test_reset_link_sets_the_password_once_and_ends_every_session(teacher: User, factory: Factory) -> None:
    sessions = [factory.session_token(teacher) for _ in range(2)]
    _request_reset()
    raw = last_token(EMAIL, "password_reset", "/reset-password")
    assert raw not in database_text()
    assert _reset(raw) == teacher.id
    assert all(resolve_session(s) is None for s in sessions)
    with pytest.raises(accounts.InvalidCredentials):
        _login()
    assert _login(password=OTHER_STRONG) == teacher.id
    with pytest.raises(InvalidToken):
        _reset(raw, "nog een ander wachtwoord")
    events = [e.event for e in _events()]
    assert "password_reset" in events
    assert OTHER_STRONG not in database_text() and raw not in database_text()


def test_reset_lifts_a_lock_out_and_a_newer_link_replaces_the_older(teacher: User) -> None:
    for _ in range(10):
        _failure(EMAIL)
    _request_reset()
    first = last_token(EMAIL, "password_reset", "/reset-password")
    _request_reset()
    second = last_token(EMAIL, "password_reset", "/reset-password")
    with pytest.raises(InvalidToken):
        _reset(first)
    _reset(second)
    assert _login(password=OTHER_STRONG) == teacher.id


def test_weak_new_password_is_refused_and_the_link_stays_usable(teacher: User) -> None:
    _request_reset()
    raw = last_token(EMAIL, "password_reset", "/reset-password")
    with pytest.raises(WeakPassword):
        _reset(raw, "wachtwoord123")
    _reset(raw)


def test_expired_reset_link_is_refused(teacher: User) -> None:
    _request_reset()
    raw = last_token(EMAIL, "password_reset", "/reset-password")
    with unscoped() as db:
        db.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    with pytest.raises(InvalidToken):
        _reset(raw)
    assert _login() == teacher.id


def test_reset_requests_are_limited_per_address_known_or_not(teacher: User) -> None:
    for email in (EMAIL, "niemand@regenboog.example"):
        for _ in range(3):
            _request_reset(email, ip=None)
        with pytest.raises(RateLimited) as caught:
            _request_reset(email, ip=None)
        assert caught.value.message_key == "accounts.error.rate_limited"
    assert len(mails()) == 3


def test_reset_requests_are_limited_per_ip(teacher: User) -> None:
    for n in range(20):
        _request_reset(f"persoon{n}@example.org")
    with pytest.raises(RateLimited):
        _request_reset()
    assert mails() == []
    _request_reset(ip="192.0.2.1")
    assert len(mails()) == 1


# Sign-in links -------------------------------------------------------------------------------------------


def _request_link(email: str = EMAIL, ip: str | None = IP) -> None:
    with db_session() as db:
        accounts.request_sign_in_link(db, email=email, ip=ip)


def _use_link(raw: str) -> tuple[int, int | None]:
    with unscoped() as db:
        return accounts.consume_sign_in_link(db, raw_token=raw)


def test_sign_in_link_logs_in_once_into_the_only_school(teacher: User) -> None:
    _request_link()
    [mail] = mails()
    assert mail.template == "sign_in_link" and "15 minuten" in mail.text_body
    raw = last_token(EMAIL, "sign_in_link", "/sign-in")
    user_id, school_id = _use_link(raw)
    with unscoped() as db:
        assert [c.school_id for c in accounts.memberships_of(db, user_id=user_id)] == [school_id]
    assert user_id == teacher.id
    with pytest.raises(InvalidToken):
        _use_link(raw)
    assert _events()[-1].detail == {"method": "sign_in_link"}


def test_sign_in_link_leaves_the_choice_when_there_are_several_schools(
    teacher: User, factory: Factory
) -> None:
    factory.member(factory.school("De Klimop"), Role.PARENT, user=teacher)
    _request_link()
    assert _use_link(last_token(EMAIL, "sign_in_link", "/sign-in")) == (teacher.id, None)


def test_sign_in_link_expires_after_15_minutes(teacher: User) -> None:
    _request_link()
    raw = last_token(EMAIL, "sign_in_link", "/sign-in")
    with unscoped() as db:
        token = db.exec(select(OneTimeToken)).one()
        assert token.expires_at - token.created_at == timedelta(minutes=15)
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.add(token)
        db.commit()
    with pytest.raises(InvalidToken):
        _use_link(raw)


def test_sign_in_link_request_looks_the_same_for_unknown_addresses_and_is_limited(teacher: User) -> None:
    _request_link("niemand@regenboog.example")
    assert mails() == []
    _request_link()
    _request_link()
    _request_link()
    with pytest.raises(RateLimited):
        _request_link()
    assert len(mails()) == 3


def test_sign_in_link_verifies_an_invited_address(factory: Factory) -> None:
    user = factory.user("nieuw@example.org")
    _request_link("nieuw@example.org")
    _use_link(last_token("nieuw@example.org", "sign_in_link", "/sign-in"))
    with unscoped() as db:
        assert db.get(User, user.id).email_verified_at is not None  # type: ignore[union-attr]
