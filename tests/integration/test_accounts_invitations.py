"""Invitations: one account per person across schools, admin-only, school-scoped, accepted once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select, update

from ogp_app.core.db import TenantScopeMissing, school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.models import AuditEvent, Membership, OneTimeToken, Role, School, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.accounts import InvitationStatus
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.tokens import InvalidToken, peek_token
from ogp_app.services.errors import InvalidInput, PermissionDenied
from tests.support.accounts import STRONG, database_text, last_token, mails, row_counts
from tests.support.factories import Factory

PARENT = "sanne@example.org"


@pytest.fixture
def schools(factory: Factory) -> tuple[School, User, School, User]:
    """School A and B, each with its own admin."""
    school_a, school_b = factory.school("De Regenboog"), factory.school("De Klimop")
    admin_a = factory.member(
        school_a, Role.SCHOOL_ADMIN, factory.user("beheer@regenboog.example", "Anna Beheer")
    )
    admin_b = factory.member(
        school_b, Role.SCHOOL_ADMIN, factory.user("beheer@klimop.example", "Bert Beheer")
    )
    return school_a, admin_a, school_b, admin_b


def _invite(school: School, admin: User, email: str = PARENT, role: str = "parent", **values: str) -> int:
    assert school.id is not None and admin.id is not None
    args = {"name": "Sanne de Vries", "language": "nl", **values}
    with school_session(school.id) as db:
        return accounts.invite_member(
            db, school_id=school.id, inviter_user_id=admin.id, email=email, role=role, **args
        )


def _accept(raw: str) -> tuple[int, int]:
    with db_session() as db:
        return accounts.accept_invitation(db, raw_token=raw)


def _status(school: School, user_id: int) -> InvitationStatus:
    with db_session() as db:
        return accounts.invitation_status(db, school_id=school.id, user_id=user_id)  # type: ignore[arg-type]


def _memberships(user_id: int) -> set[tuple[int, str]]:
    with unscoped() as db:
        rows = db.exec(select(Membership).where(Membership.user_id == user_id)).all()
    return {(m.school_id, m.role) for m in rows}


def test_invitation_creates_the_account_and_membership_and_mails_a_link(schools: tuple) -> None:
    school_a, admin_a, _, _ = schools
    user_id = _invite(school_a, admin_a, email=" Sanne@Example.org", language="en")
    with unscoped() as db:
        user = db.get(User, user_id)
    assert user is not None
    assert (user.email, user.display_name, user.preferred_language) == (PARENT, "Sanne de Vries", "en")
    assert user.password_hash is None and user.email_verified_at is None
    assert _memberships(user_id) == {(school_a.id, "parent")}
    [mail] = mails(to=PARENT)
    assert (mail.template, mail.language, mail.school_id) == ("invitation", "en", school_a.id)
    assert (
        "De Regenboog" in mail.subject
        and "parent" in mail.text_body.lower()
        and "This link works until" in mail.text_body
    )
    raw = last_token(PARENT, "invitation", "/invitation")
    assert raw not in database_text()
    assert _status(school_a, user_id) is InvitationStatus.PENDING


def test_accepting_verifies_the_address_once_and_names_the_school(schools: tuple) -> None:
    school_a, admin_a, _, _ = schools
    user_id = _invite(school_a, admin_a)
    raw = last_token(PARENT, "invitation", "/invitation")
    with db_session() as db:  # the GET page only peeks, in the plain session a visitor gets
        token = peek_token(db, raw=raw, purpose=TokenPurpose.INVITATION)
        assert token.school_id == school_a.id
        assert accounts.invitation_offer(db, token=token) == ("De Regenboog", "parent")
        token.role = "owner"  # not a role the page can name (not committed)
        assert accounts.invitation_offer(db, token=token) == ("De Regenboog", "")
        db.rollback()
    assert _accept(raw) == (user_id, school_a.id)
    with unscoped() as db:
        assert db.get(User, user_id).email_verified_at is not None  # type: ignore[union-attr]
    assert _status(school_a, user_id) is InvitationStatus.ACCEPTED
    with pytest.raises(InvalidToken):
        _accept(raw)


def test_parent_at_a_who_is_teacher_at_b_is_one_account_with_two_memberships(schools: tuple) -> None:
    school_a, admin_a, school_b, admin_b = schools
    as_parent = _invite(school_a, admin_a, role="parent")
    as_teacher = _invite(school_b, admin_b, email="SANNE@example.org", role="teacher", name="Mevr. De Vries")
    assert as_parent == as_teacher
    with unscoped() as db:
        assert len(db.exec(select(User).where(User.email == PARENT)).all()) == 1
        assert db.get(User, as_parent).display_name == "Sanne de Vries"  # type: ignore[union-attr]
        choices = accounts.memberships_of(db, user_id=as_parent)
    # The account existed when school B invited it: B's role waits for its owner to accept.
    assert [(c.name, c.roles) for c in choices] == [("De Regenboog", ("parent",))]
    # Each school's link opens its own school.
    first, second = (m for m in mails(to=PARENT))
    assert "De Regenboog" in first.subject and "De Klimop" in second.subject
    assert _accept(last_token(PARENT, "invitation", "/invitation")) == (as_parent, school_b.id)
    with unscoped() as db:
        choices = accounts.memberships_of(db, user_id=as_parent)
    assert [(c.name, c.roles) for c in choices] == [
        ("De Klimop", ("teacher",)),
        ("De Regenboog", ("parent",)),
    ]
    assert _status(school_a, as_parent) is InvitationStatus.PENDING
    assert _status(school_b, as_parent) is InvitationStatus.ACCEPTED


def test_inviting_an_existing_member_again_adds_nothing_but_a_new_link(schools: tuple) -> None:
    school_a, admin_a, _, _ = schools
    user_id = _invite(school_a, admin_a)
    old = last_token(PARENT, "invitation", "/invitation")
    _invite(school_a, admin_a)
    assert _memberships(user_id) == {(school_a.id, "parent")}
    with pytest.raises(InvalidToken):
        _accept(old)
    _accept(last_token(PARENT, "invitation", "/invitation"))


def test_only_an_admin_of_that_school_may_invite(schools: tuple, factory: Factory) -> None:
    school_a, _, _, admin_b = schools
    teacher_a = factory.member(school_a, Role.TEACHER)
    before = row_counts()
    for inviter in (teacher_a, admin_b):
        with pytest.raises(PermissionDenied):
            _invite(school_a, inviter)
    assert row_counts() == before


def test_invitations_need_the_school_scope(schools: tuple) -> None:
    school_a, admin_a, school_b, _ = schools
    args = {
        "inviter_user_id": admin_a.id,
        "email": PARENT,
        "name": "Sanne",
        "role": "parent",
        "language": "nl",
    }
    with db_session() as db, pytest.raises(TenantScopeMissing):
        accounts.invite_member(db, school_id=school_a.id, **args)
    with school_session(school_b.id) as db, pytest.raises(PermissionDenied):  # scope B cannot act for A
        accounts.invite_member(db, school_id=school_a.id, **args)
    assert mails() == []


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"role": "staff"}, InvalidInput),
        ({"role": "SCHOOL_ADMIN"}, InvalidInput),
        ({"email": "geen adres"}, accounts.InvalidEmail),
        ({"name": ""}, accounts.InvalidName),
        ({"language": "fr"}, InvalidInput),
    ],
)
def test_invalid_invitations_create_nothing(schools: tuple, values: dict[str, str], error: type) -> None:
    school_a, admin_a, _, _ = schools
    before = row_counts()
    with pytest.raises(error):
        _invite(school_a, admin_a, **values)
    assert row_counts() == before


def test_invitation_is_audited_without_secrets(schools: tuple) -> None:
    school_a, admin_a, _, _ = schools
    user_id = _invite(school_a, admin_a, role="teacher")
    _accept(last_token(PARENT, "invitation", "/invitation"))
    with unscoped() as db:
        events = db.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [(e.event, e.actor_user_id, e.subject_user_id, e.school_id, e.detail) for e in events] == [
        ("role_granted", admin_a.id, user_id, school_a.id, {"role": "teacher"}),
        ("invitation_sent", admin_a.id, user_id, school_a.id, {"role": "teacher"}),
        ("email_verified", user_id, user_id, None, {}),
        ("invitation_accepted", user_id, user_id, school_a.id, {"role": "teacher"}),
    ]


def test_resend_replaces_the_link_until_accepted(schools: tuple) -> None:
    school_a, admin_a, _, _ = schools
    user_id = _invite(school_a, admin_a, role="teacher")
    old = last_token(PARENT, "invitation", "/invitation")
    with school_session(school_a.id) as db:
        accounts.resend_invitation(db, school_id=school_a.id, inviter_user_id=admin_a.id, user_id=user_id)
    assert "leerkracht" in mails(to=PARENT)[-1].text_body
    new = last_token(PARENT, "invitation", "/invitation")
    assert new != old
    with pytest.raises(InvalidToken):
        _accept(old)
    _accept(new)
    with school_session(school_a.id) as db, pytest.raises(accounts.InvitationAlreadyAccepted):
        accounts.resend_invitation(db, school_id=school_a.id, inviter_user_id=admin_a.id, user_id=user_id)


def test_resend_is_refused_for_people_of_other_schools(schools: tuple, factory: Factory) -> None:
    school_a, admin_a, school_b, _ = schools
    outsider = factory.member(school_b, Role.PARENT)
    assert outsider.id is not None
    with school_session(school_a.id) as db, pytest.raises(PermissionDenied):
        accounts.resend_invitation(db, school_id=school_a.id, inviter_user_id=admin_a.id, user_id=outsider.id)
    assert mails() == []


def test_status_expires_after_seven_days(schools: tuple, factory: Factory) -> None:
    school_a, admin_a, _, _ = schools
    assert _status(school_a, factory.user().id) is InvitationStatus.NOT_INVITED  # type: ignore[arg-type]
    user_id = _invite(school_a, admin_a)
    raw = last_token(PARENT, "invitation", "/invitation")
    with unscoped() as db:
        token = db.exec(select(OneTimeToken)).one()
        assert token.expires_at - token.created_at == timedelta(days=7)
        db.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    assert _status(school_a, user_id) is InvitationStatus.EXPIRED
    with pytest.raises(InvalidToken):
        _accept(raw)


def test_existing_account_keeps_its_password_and_can_still_log_in(schools: tuple, factory: Factory) -> None:
    school_a, admin_a, _, _ = schools
    existing = factory.user(PARENT, "Sanne", password_hash=hash_password(STRONG), email_verified_at=utcnow())
    assert _invite(school_a, admin_a) == existing.id
    with db_session() as db:
        assert accounts.authenticate(db, email=PARENT, password=STRONG, ip=None) == existing.id
