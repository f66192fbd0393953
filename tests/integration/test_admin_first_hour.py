"""What a new school's admin meets in the first hour: the home page's next steps and trial days, the
open-round dialog's counts (and that opening mails nobody), an authenticator secret that stays put while
enrolling, and an import whose every row is wrong writing nothing even with "only valid rows"."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select, update

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import OutboxMessage, Pupil, Role, TotpCredential
from ogp_app.models.base import utcnow
from ogp_app.services.auth import two_factor
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.onboarding.next_steps import admin_home
from ogp_app.services.roster_import import ImportOptions, run_import
from ogp_app.services.rounds.opening import opening_reach
from ogp_app.services.rounds.setup import set_status
from tests.support.factories import Factory
from tests.support.rounds import build_world


def test_opening_reach_counts_active_pupils_of_the_rounds_classes_and_their_addresses(
    factory: Factory,
) -> None:
    world = build_world(factory, open_now=False)
    school = world.school
    # Not reached: an archived pupil of a round class, a pupil of another class, an archived guardian.
    gone = factory.pupil(school, world.class_a, factory.guardian(school), archived_at=utcnow())
    elsewhere = factory.school_class(school, "Groep 8")
    factory.pupil(school, elsewhere, factory.guardian(school))
    archived_guardian = factory.guardian(school)
    archived_guardian.archived_at = utcnow()
    factory.session.add(archived_guardian)
    factory.session.commit()
    factory.pupil(school, world.class_a, archived_guardian, first_name="Mila")  # a pupil, no address
    assert gone.id is not None
    with school_session(world.school_id) as db:
        set_status(db, actor=world.admin, round_id=world.round_id, status="draft")
        reach = opening_reach(db, round_id=world.round_id)
        mails = _mails(db)
        set_status(db, actor=world.admin, round_id=world.round_id, status="open")
        assert _mails(db) == mails  # opening mails nobody, as the dialog says
    # Noah and Emma share one parent; Liam; Julia with two separated parents; Mila without an address.
    assert (reach.pupils, reach.addresses) == (5, 4)


def _mails(db: Session) -> int:
    return db.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_the_admin_home_lists_the_next_steps_and_the_trial_days_left(factory: Factory) -> None:
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    assert school.id is not None and admin.id is not None
    now = utcnow()
    with school_session(school.id) as db:
        home = admin_home(db, school_id=school.id, admin_user_id=admin.id, now=now)
        later = admin_home(db, school_id=school.id, admin_user_id=admin.id, now=now + timedelta(days=29.5))
    assert home.next_steps == ["roster", "colleagues", "round", "subscribe"]
    assert (home.trial_days_left, later.trial_days_left) == (30, 1)

    world = build_world(factory, open_now=False)  # a roster, a colleague and an open round
    assert world.admin.user_id is not None
    with school_session(world.school_id) as db:
        assert admin_home(
            db, school_id=world.school_id, admin_user_id=world.admin.user_id, now=now
        ).next_steps == ["subscribe"]
        set_status(db, actor=world.admin, round_id=world.round_id, status="draft")
        home = admin_home(db, school_id=world.school_id, admin_user_id=world.admin.user_id, now=now)
        assert home.next_steps == ["open_round", "subscribe"]
        teacher = world.teacher_actor.user_id
        assert teacher is not None
        with pytest.raises(PermissionDenied):  # a teacher is no admin
            admin_home(db, school_id=world.school_id, admin_user_id=teacher, now=now)


def test_the_enrolment_page_keeps_its_secret_until_confirmed(factory: Factory) -> None:
    user = factory.user()
    assert user.id is not None
    with unscoped() as db:
        first = two_factor.current_enrolment(db, user_id=user.id, account_label=user.email)
        again = two_factor.current_enrolment(db, user_id=user.id, account_label=user.email)  # a reload
        assert again.secret == first.secret and again.qr_svg == first.qr_svg
        # An hour later the page starts over with a new secret (an abandoned one is not shown forever).
        db.exec(
            update(TotpCredential)
            .where(col(TotpCredential.user_id) == user.id)
            .values(created_at=utcnow() - two_factor.PENDING_SECRET_KEPT - timedelta(seconds=1))
        )
        db.commit()
        fresh = two_factor.current_enrolment(db, user_id=user.id, account_label=user.email)
        assert fresh.secret != first.secret
        assert (
            two_factor.current_enrolment(db, user_id=user.id, account_label=user.email).secret == fresh.secret
        )
        two_factor.confirm_enrolment(db, user_id=user.id, code=pyotp.TOTP(fresh.secret).now())
        assert two_factor.is_enrolled(db, user_id=user.id)


def test_a_file_without_one_valid_row_writes_nothing_even_with_only_valid_rows(factory: Factory) -> None:
    school = factory.school()
    kept = factory.pupil(school, factory.school_class(school, "Groep 3"), first_name="Bram")
    assert school.id is not None
    data = b"Leerlingnummer;Roepnaam;Achternaam;Groep\n7001;;Smit;Groep 1\n7002;Eva;;Groep 1\n"
    with school_session(school.id) as db:
        options = ImportOptions(only_valid_rows=True, archive_missing=True)
        result = run_import(db, school_id=school.id, data=data, options=options)
        assert (result.valid_rows, result.written) == (0, False)
        assert len(result.issues) == 2
        pupils = db.exec(select(Pupil)).all()
    assert [(p.first_name, p.archived_at) for p in pupils] == [(kept.first_name, None)]
