"""The rules behind /account and /school/settings: pending e-mail, mandatory 2FA, colleagues, invitations."""

from __future__ import annotations

import time

import pyotp
import pytest
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.models import AuditEvent, Role, School, User
from ogp_app.services import accounts
from ogp_app.services.accounts import account_settings
from ogp_app.services.accounts.account_settings import TooManyCodeAttempts, TwoFactorMandatory
from ogp_app.services.auth import two_factor
from ogp_app.services.auth.two_factor import TwoFactorCodeInvalid, TwoFactorNotEnabled
from ogp_app.services.errors import InvalidInput, PermissionDenied
from tests.support.accounts import last_token, mails
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor


def _id(obj: User | School) -> int:
    assert obj.id is not None
    return obj.id


def _enrol(user: User) -> tuple[pyotp.TOTP, list[str]]:
    enrolled = enrol_two_factor(_id(user), label=user.email)
    return enrolled.totp, enrolled.recovery_codes


def _wrong(totp: pyotp.TOTP) -> str:
    valid = {totp.at(time.time() + offset) for offset in (-30, 0, 30)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)


@pytest.fixture
def school(factory: Factory) -> School:
    return factory.school("De Regenboog", slug="regenboog")


def test_pending_email_change_is_shown_until_confirmed(factory: Factory) -> None:
    user = factory.user("ouder@example.org")
    with unscoped() as db:
        assert account_settings.account_view(db, user_id=_id(user)).pending_email == ""
    with db_session() as db:
        accounts.request_email_change(db, user_id=_id(user), new_email="Nieuw@Example.org")
    with unscoped() as db:
        view = account_settings.account_view(db, user_id=_id(user))
    assert view.pending_email == "nieuw@example.org"
    assert view.email == "ouder@example.org"
    raw = last_token("nieuw@example.org", "email_change", "/confirm-email")
    with db_session() as db:
        accounts.confirm_email_change(db, raw_token=raw)
    with unscoped() as db:
        view = account_settings.account_view(db, user_id=_id(user))
    assert (view.email, view.pending_email) == ("nieuw@example.org", "")


def test_account_view_lists_every_school_and_role(factory: Factory, school: School) -> None:
    other = factory.school("De Klimop", slug="klimop")
    person = factory.member(school, Role.PARENT)
    factory.member(other, Role.TEACHER, person)
    factory.member(other, Role.PARENT, person)
    with unscoped() as db:
        view = account_settings.account_view(db, user_id=_id(person))
    assert [(s.name, s.roles) for s in view.schools] == [
        ("De Klimop", ("parent", "teacher")),
        ("De Regenboog", ("parent",)),
    ]
    assert view.has_password is False and view.two_factor_enabled is False
    assert view.two_factor_mandatory is False


def test_two_factor_is_mandatory_for_admins_anywhere_and_staff(factory: Factory, school: School) -> None:
    other = factory.school()
    parent_here_admin_there = factory.member(school, Role.PARENT)
    factory.member(other, Role.SCHOOL_ADMIN, parent_here_admin_there)
    teacher = factory.member(school, Role.TEACHER)
    staff = factory.user(is_staff=True)
    with unscoped() as db:
        assert account_settings.two_factor_mandatory(db, user_id=_id(parent_here_admin_there))
        assert account_settings.two_factor_mandatory(db, user_id=_id(staff))
        assert not account_settings.two_factor_mandatory(db, user_id=_id(teacher))


def test_disabling_two_factor_needs_a_current_code(factory: Factory, school: School) -> None:
    teacher = factory.member(school, Role.TEACHER)
    totp, _ = _enrol(teacher)
    with unscoped() as db:
        with pytest.raises(TwoFactorCodeInvalid):
            account_settings.disable_two_factor(db, user_id=_id(teacher), code=_wrong(totp))
        assert two_factor.is_enrolled(db, user_id=_id(teacher))
        account_settings.disable_two_factor(db, user_id=_id(teacher), code=totp.now())
        assert not two_factor.is_enrolled(db, user_id=_id(teacher))
        events = db.exec(select(AuditEvent.event).where(AuditEvent.subject_user_id == _id(teacher))).all()
        assert "two_factor_disabled" in events
        with pytest.raises(TwoFactorNotEnabled):
            account_settings.disable_two_factor(db, user_id=_id(teacher), code=totp.now())


def test_a_recovery_code_also_disables_two_factor(factory: Factory) -> None:
    parent = factory.user()
    _, codes = _enrol(parent)
    with unscoped() as db:
        account_settings.disable_two_factor(db, user_id=_id(parent), code=codes[0].lower())
        assert not two_factor.is_enrolled(db, user_id=_id(parent))


def test_admins_cannot_disable_two_factor_even_with_a_good_code(factory: Factory, school: School) -> None:
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    totp, _ = _enrol(admin)
    with unscoped() as db:
        with pytest.raises(TwoFactorMandatory):
            account_settings.disable_two_factor(db, user_id=_id(admin), code=totp.now())
        assert two_factor.is_enrolled(db, user_id=_id(admin))


def test_wrong_codes_are_limited(factory: Factory) -> None:
    parent = factory.user()
    totp, _ = _enrol(parent)
    wrong = _wrong(totp)
    with unscoped() as db:
        for _ in range(account_settings.CODE_ATTEMPTS.limit):
            with pytest.raises(TwoFactorCodeInvalid):
                account_settings.disable_two_factor(db, user_id=_id(parent), code=wrong)
        with pytest.raises(TooManyCodeAttempts) as refused:
            account_settings.disable_two_factor(db, user_id=_id(parent), code=totp.now())
        assert refused.value.message_values["minutes"] >= 1
        assert two_factor.is_enrolled(db, user_id=_id(parent))


def test_regenerating_recovery_codes_needs_a_code_and_voids_the_old_ones(factory: Factory) -> None:
    parent = factory.user()
    totp, old_codes = _enrol(parent)
    with db_session() as db:
        with pytest.raises(TwoFactorCodeInvalid):
            account_settings.regenerate_recovery_codes(db, user_id=_id(parent), code="")
        new_codes = account_settings.regenerate_recovery_codes(db, user_id=_id(parent), code=totp.now())
        assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
        assert not two_factor.verify_second_factor(db, user_id=_id(parent), code=old_codes[1])
        assert two_factor.verify_second_factor(db, user_id=_id(parent), code=new_codes[1])
    stranger = factory.user()
    with db_session() as db, pytest.raises(TwoFactorNotEnabled):
        account_settings.regenerate_recovery_codes(db, user_id=_id(stranger), code="123456")


def test_colleagues_lists_teachers_and_admins_with_their_invitation_status(
    factory: Factory, school: School
) -> None:
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user(name="Anna Beheer"))
    factory.member(school, Role.PARENT, factory.user(name="Sanne Ouder"))
    other = factory.school()
    factory.member(other, Role.TEACHER, factory.user(name="Ander Leerkracht"))
    with school_session(_id(school)) as db:
        account_settings.invite_colleague(
            db,
            school_id=_id(school),
            inviter_user_id=_id(admin),
            email="juf.jansen@regenboog.example",
            name="Juf Jansen",
            role="teacher",
            language="nl",
        )
        rows = account_settings.colleagues(db, school_id=_id(school), admin_user_id=_id(admin))
    assert [(r.name, r.roles, r.status) for r in rows] == [
        ("Anna Beheer", ("school_admin",), "not_invited"),
        ("Juf Jansen", ("teacher",), "pending"),
    ]
    assert [m.template for m in mails(to="juf.jansen@regenboog.example")] == ["invitation"]


def test_only_the_schools_admin_reads_or_invites(factory: Factory, school: School) -> None:
    teacher = factory.member(school, Role.TEACHER)
    other_admin = factory.member(factory.school(), Role.SCHOOL_ADMIN)
    for outsider in (teacher, other_admin):
        with school_session(_id(school)) as db:
            with pytest.raises(PermissionDenied):
                account_settings.colleagues(db, school_id=_id(school), admin_user_id=_id(outsider))
            with pytest.raises(PermissionDenied):
                account_settings.school_summary(db, school_id=_id(school), admin_user_id=_id(outsider))
            with pytest.raises(PermissionDenied):
                account_settings.invite_colleague(
                    db,
                    school_id=_id(school),
                    inviter_user_id=_id(outsider),
                    email="x@example.org",
                    name="X",
                    role="teacher",
                    language="nl",
                )
    assert mails() == []


def test_colleagues_are_teachers_or_admins_not_parents(factory: Factory, school: School) -> None:
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    with school_session(_id(school)) as db, pytest.raises(InvalidInput) as refused:
        account_settings.invite_colleague(
            db,
            school_id=_id(school),
            inviter_user_id=_id(admin),
            email="ouder@example.org",
            name="Ouder",
            role="parent",
            language="nl",
        )
    assert refused.value.message_key == "account.error.role"
    assert mails() == []


def test_school_summary_and_sign_in_url(factory: Factory) -> None:
    school = factory.school("Basisschool 't Anker", slug="t-anker", brin_code="12AB", city="Delft")
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    with school_session(_id(school)) as db:
        summary = account_settings.school_summary(db, school_id=_id(school), admin_user_id=_id(admin))
    assert (summary.name, summary.slug, summary.brin_code, summary.city, summary.status) == (
        "Basisschool 't Anker",
        "t-anker",
        "12AB",
        "Delft",
        "active",
    )
    url = account_settings.sso_start_url("t-anker")
    assert url.endswith("/api/auth/oidc/start?school=t-anker")
    assert account_settings.sso_start_url("a&b").endswith("?school=a%26b")
