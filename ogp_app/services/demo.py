"""The demo school that `make run` serves: one admin, one teacher, one parent. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ogp_app.models import Membership, Role, School, SchoolStatus, User

DEMO_SCHOOL_SLUG = "demo"
DEMO_ACCOUNTS = {
    "admin": "beheer@regenboog.example",
    "teacher": "juf.jansen@regenboog.example",
    "parent": "ouder.de.vries@example.org",
}
_PEOPLE = [
    ("admin", "Anna Beheer", Role.SCHOOL_ADMIN),
    ("teacher", "Juf Jansen", Role.TEACHER),
    ("parent", "Sanne de Vries", Role.PARENT),
]


@dataclass(frozen=True)
class DemoResult:
    school_id: int
    created: int  # rows created by this call (0 on a second run)


def seed_demo(db: Session) -> DemoResult:
    """Create the demo school and its people when missing; never duplicates. ``db`` must be unscoped."""
    created = 0
    school = db.exec(select(School).where(School.slug == DEMO_SCHOOL_SLUG)).first()
    if school is None:
        school = School(
            name="Basisschool De Regenboog",
            slug=DEMO_SCHOOL_SLUG,
            brin_code="99XX",
            city="Utrecht",
            status=SchoolStatus.ACTIVE.value,
        )
        db.add(school)
        db.flush()
        created += 1
    assert school.id is not None
    for key, name, role in _PEOPLE:
        email = DEMO_ACCOUNTS[key]
        user = db.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, display_name=name, preferred_language="nl")
            db.add(user)
            db.flush()
            created += 1
        exists = db.exec(
            select(Membership).where(
                Membership.school_id == school.id,
                Membership.user_id == user.id,
                Membership.role == role.value,
            )
        ).first()
        if exists is None:
            assert user.id is not None
            db.add(Membership(school_id=school.id, user_id=user.id, role=role.value))
            created += 1
    db.commit()
    return DemoResult(school_id=school.id, created=created)
