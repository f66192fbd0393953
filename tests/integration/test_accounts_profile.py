"""A person's own account: password, name, language, e-mail change, and the school switch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select, update

from ogp_app.core.db import TenantScopeMissing, school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.models import AuditEvent, OneTimeToken, Role, School, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.auth.passwords import WeakPassword, hash_password
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.auth.tokens import InvalidToken, issue_token
from ogp_app.services.errors import InvalidInput, NotAuthenticated, PermissionDenied
from tests.support.accounts import OTHER_STRONG, STRONG, database_text, last_token, mails
from tests.support.factories import Factory

EMAIL = "juf.jansen@regenboog.example"
NEW = "m.jansen@example.org"


@pytest.fixture
def person(factory: Factory) -> User:
    return factory.user(EMAIL, "Juf Jansen", password_hash=hash_password(STRONG), email_verified_at=utcnow())


def _user(user_id: int | None) -> User:
    with unscoped() as db:
        user = db.get(User, user_id)
    assert user is not None
    return user


def _set_password(user: User, current: str | None, new: str = OTHER_STRONG, keep: str | None = None) -> None:
    assert user.id is not None
    with db_session() as db:
        accounts.set_password(
            db, user_id=user.id, current_password=current, new_password=new, keep_session_token=keep
        )


def _login(email: str, password: str) -> int:
    with db_session() as db:
        return accounts.authenticate(db, email=email, password=password, ip=None)


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    person: User, factory: Factory
) -> None:
    mine, other = factory.session_token(person), factory.session_token(person)
    with pytest.raises(accounts.CurrentPasswordWrong):
        _set_password(person, "verkeerd-wachtwoord")
    with pytest.raises(accounts.CurrentPasswordWrong):
        _set_password(person, None)
    _set_password(person, STRONG, keep=mine)
    assert resolve_session(mine) is not None and resolve_session(other) is None
    assert _login(EMAIL, OTHER_STRONG) == person.id
    with unscoped() as db:
        events = db.exec(select(AuditEvent.event).order_by(col(AuditEvent.id))).all()
    assert "password_changed" in events
    assert OTHER_STRONG not in database_text()


def test_wrong_current_passwords_count_towards_the_lock_out(person: User) -> None:
    for _ in range(10):
        with pytest.raises(accounts.CurrentPasswordWrong):
            _set_password(person, "verkeerd-wachtwoord")
    with pytest.raises(accounts.AccountLocked):
        _set_password(person, STRONG)
    with pytest.raises(accounts.AccountLocked):
        _login(EMAIL, STRONG)


def test_new_password_must_pass_the_policy(person: User) -> None:
    with pytest.raises(WeakPassword):
        _set_password(person, STRONG, new="juf jansen")
    with pytest.raises(WeakPassword):
        _set_password(person, STRONG, new="Welkom123456")
    assert _login(EMAIL, STRONG) == person.id


def test_a_link_only_account_sets_its_first_password_without_a_current_one(factory: Factory) -> None:
    parent = factory.user("ouder@example.org", email_verified_at=utcnow())
    _set_password(parent, None)
    assert _login("ouder@example.org", OTHER_STRONG) == parent.id


def test_name_and_language(person: User) -> None:
    with db_session() as db:
        accounts.change_display_name(db, user_id=person.id, name="  Marieke   Jansen ")  # type: ignore[arg-type]
        accounts.set_language(db, user_id=person.id, language="en")  # type: ignore[arg-type]
        with pytest.raises(accounts.InvalidName):
            accounts.change_display_name(db, user_id=person.id, name="")  # type: ignore[arg-type]
        with pytest.raises(InvalidInput):
            accounts.set_language(db, user_id=person.id, language="xx")  # type: ignore[arg-type]
    user = _user(person.id)
    assert (user.display_name, user.preferred_language) == ("Marieke Jansen", "en")


def _request_change(user: User, new_email: str = NEW) -> None:
    with db_session() as db:
        accounts.request_email_change(db, user_id=user.id, new_email=new_email)  # type: ignore[arg-type]


def _confirm(raw: str) -> int:
    with db_session() as db:
        return accounts.confirm_email_change(db, raw_token=raw)


def test_email_change_is_confirmed_from_the_new_address_once(person: User) -> None:
    _request_change(person, " M.Jansen@Example.org")
    [mail] = mails()
    assert (mail.to_email, mail.template) == (NEW, "email_change") and "24 uur" in mail.text_body
    assert _user(person.id).email == EMAIL  # nothing changes before the confirmation
    raw = last_token(NEW, "email_change", "/confirm-email")
    assert raw not in database_text()
    assert _confirm(raw) == person.id
    assert _user(person.id).email == NEW
    assert _login(NEW, STRONG) == person.id
    with pytest.raises(accounts.InvalidCredentials):
        _login(EMAIL, STRONG)
    with pytest.raises(InvalidToken):
        _confirm(raw)
    with unscoped() as db:
        event = db.exec(select(AuditEvent).where(AuditEvent.event == "email_changed")).one()
    assert (
        event.subject_user_id == person.id and EMAIL not in str(event.detail) and NEW not in str(event.detail)
    )


def test_links_sent_to_the_old_address_die_with_the_change(person: User) -> None:
    with db_session() as db:
        accounts.request_password_reset(db, email=EMAIL, ip=None)
    old_reset = last_token(EMAIL, "password_reset", "/reset-password")
    _request_change(person)
    _confirm(last_token(NEW, "email_change", "/confirm-email"))
    with db_session() as db, pytest.raises(InvalidToken):
        accounts.reset_password(db, raw_token=old_reset, new_password=OTHER_STRONG)


def test_email_change_to_a_taken_or_the_same_address_is_refused(person: User, factory: Factory) -> None:
    factory.user(NEW)
    with pytest.raises(accounts.EmailTaken):
        _request_change(person)
    with pytest.raises(accounts.SameEmail):
        _request_change(person, EMAIL.upper())
    with pytest.raises(accounts.InvalidEmail):
        _request_change(person, "niet geldig")
    assert mails() == []


def test_address_taken_between_request_and_confirmation_is_refused(person: User, factory: Factory) -> None:
    _request_change(person)
    raw = last_token(NEW, "email_change", "/confirm-email")
    factory.user(NEW)
    with pytest.raises(accounts.EmailTaken):
        _confirm(raw)
    assert _user(person.id).email == EMAIL


def test_only_the_latest_change_request_counts_and_requests_are_limited(person: User) -> None:
    _request_change(person, "een@example.org")
    first = last_token("een@example.org", "email_change", "/confirm-email")
    _request_change(person, "twee@example.org")
    with pytest.raises(InvalidToken):
        _confirm(first)
    _request_change(person, "drie@example.org")
    with pytest.raises(RateLimited):
        _request_change(person, "vier@example.org")
    assert _confirm(last_token("drie@example.org", "email_change", "/confirm-email")) == person.id


def test_expired_change_link_is_refused(person: User) -> None:
    _request_change(person)
    raw = last_token(NEW, "email_change", "/confirm-email")
    with unscoped() as db:
        db.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    with pytest.raises(InvalidToken):
        _confirm(raw)


def test_tokens_are_bound_to_their_purpose_across_flows(person: User) -> None:
    """A sign-in link cannot confirm an e-mail change, accept an invitation or reset a password."""
    with db_session() as db:
        raw = issue_token(db, purpose=TokenPurpose.SIGN_IN_LINK, user_id=person.id)  # type: ignore[arg-type]
        db.commit()
        with pytest.raises(InvalidToken):
            accounts.confirm_email_change(db, raw_token=raw)
        with pytest.raises(InvalidToken):
            accounts.accept_invitation(db, raw_token=raw)
        with pytest.raises(InvalidToken):
            accounts.reset_password(db, raw_token=raw, new_password=OTHER_STRONG)
        with pytest.raises(InvalidToken):
            accounts.verify_email(db, raw_token=raw)
    with unscoped() as db:
        assert accounts.consume_sign_in_link(db, raw_token=raw)[0] == person.id


# The school switch --------------------------------------------------------------------------------------


@pytest.fixture
def two_schools(factory: Factory, person: User) -> tuple[School, School, School]:
    a, b, c = factory.school("De Regenboog"), factory.school("De Klimop"), factory.school("Het Anker")
    factory.member(a, Role.TEACHER, user=person)
    factory.member(a, Role.SCHOOL_ADMIN, user=person)
    factory.member(b, Role.PARENT, user=person)
    factory.member(c, Role.TEACHER)  # someone else's school
    return a, b, c


def test_memberships_lists_each_school_once_with_its_roles(person: User, two_schools: tuple) -> None:
    a, b, _ = two_schools
    with unscoped() as db:
        choices = accounts.memberships_of(db, user_id=person.id)  # type: ignore[arg-type]
    assert choices == [
        accounts.SchoolChoice(b.id, "De Klimop", "active", ("parent",)),
        accounts.SchoolChoice(a.id, "De Regenboog", "active", ("school_admin", "teacher")),
    ]
    with db_session() as db, pytest.raises(TenantScopeMissing):
        accounts.memberships_of(db, user_id=person.id)  # type: ignore[arg-type]


def test_switch_moves_the_session_to_a_school_of_the_person(
    person: User, two_schools: tuple, factory: Factory
) -> None:
    a, b, _ = two_schools
    token = factory.session_token(person, a)
    with school_session(b.id) as db:
        choice = accounts.switch_school(db, token=token, school_id=b.id)
    assert choice.roles == ("parent",)
    identity = resolve_session(token)
    assert identity is not None and identity.school_id == b.id and identity.roles == {"parent"}


def test_switch_to_a_school_without_membership_is_refused(
    person: User, two_schools: tuple, factory: Factory
) -> None:
    a, b, c = two_schools
    token = factory.session_token(person, a)
    with school_session(c.id) as db, pytest.raises(PermissionDenied):
        accounts.switch_school(db, token=token, school_id=c.id)
    with school_session(c.id) as db, pytest.raises(PermissionDenied):  # scope of another school: refused
        accounts.switch_school(db, token=token, school_id=b.id)
    with unscoped() as db, pytest.raises(PermissionDenied):
        accounts.switch_school(db, token=token, school_id=999_999)
    identity = resolve_session(token)
    assert identity is not None and identity.school_id == a.id


def test_switch_needs_a_live_session(person: User, two_schools: tuple) -> None:
    a, _, _ = two_schools
    with school_session(a.id) as db, pytest.raises(NotAuthenticated):
        accounts.switch_school(db, token="not-a-session-token", school_id=a.id)
