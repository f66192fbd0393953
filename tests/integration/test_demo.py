"""The demo school `make run` serves: people, a roster with siblings and a separated family; idempotent."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from ogp_app.models import Guardian, Household, Pupil, PupilGuardian, SchoolClass, Teacher, User
from ogp_app.services.development.demo import DEMO_ACCOUNTS, seed_demo


def test_demo_is_idempotent_and_links_the_demo_accounts_to_the_roster(raw_session: Session) -> None:
    first = seed_demo(raw_session)
    second = seed_demo(raw_session)
    assert first.created > 20 and second.created == 0
    assert raw_session.exec(select(func.count()).select_from(SchoolClass)).one() == 2
    parent = raw_session.exec(select(User).where(User.email == DEMO_ACCOUNTS["parent"])).one()
    guardian = raw_session.exec(select(Guardian).where(Guardian.user_id == parent.id)).one()
    children = raw_session.exec(
        select(Pupil).join(PupilGuardian).where(PupilGuardian.guardian_id == guardian.id)
    ).all()
    assert len({child.class_id for child in children}) == 2  # one child in each class: back-to-back demo
    teacher = raw_session.exec(select(User).where(User.email == DEMO_ACCOUNTS["teacher"])).one()
    assert (
        raw_session.exec(select(Teacher).where(Teacher.user_id == teacher.id)).one().display_name
        == "Juf Jansen"
    )


def test_demo_has_a_separated_family_with_two_households(raw_session: Session) -> None:
    seed_demo(raw_session)
    separated = raw_session.exec(select(Pupil).where(Pupil.meeting_mode == "per_household")).all()
    assert separated
    households = raw_session.exec(
        select(Household.id)
        .join(Guardian, col(Guardian.household_id) == col(Household.id))
        .join(PupilGuardian, col(PupilGuardian.guardian_id) == col(Guardian.id))
        .where(PupilGuardian.pupil_id == separated[0].id)
    ).all()
    assert len(set(households)) == 2
