"""The demo school that `make run` serves: an admin, a teacher, a parent and a small roster. Idempotent."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, select

from ogp_app.models import (
    ClassTeacher,
    Guardian,
    Household,
    Membership,
    PolicyAcceptance,
    PolicyDocument,
    Pupil,
    PupilGuardian,
    Role,
    School,
    SchoolClass,
    SchoolStatus,
    Teacher,
    User,
)
from ogp_app.models.base import utcnow
from ogp_app.services.policies.versions import AGREEMENT_VERSION
from ogp_app.services.rounds.demo_round import seed_demo_round

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
            # billing details, so the demo admin can try /school/billing
            street_address="Regenboogstraat 1",
            postal_code="3511 AA",
            invoice_email="administratie@regenboog.example",
            kvk_number="99999999",
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
    created += _seed_roster(db, school.id)
    created += _complete_onboarding(db, school)
    db.commit()
    created += seed_demo_round(school.id)  # an open round with bookings (ogp_app.services.rounds)
    return DemoResult(school_id=school.id, created=created)


_CLASSES = [  # class name, teacher name, teacher e-mail (None: the demo teacher account), room
    ("Groep 5", "Juf Jansen", None, "Lokaal 5"),
    ("Groep 7", "Meester Bakker", "meester.bakker@regenboog.example", "Lokaal 7"),
]
_FAMILIES = [  # surname, guardian names; the first family is the demo parent's
    ("de Vries", ["Sanne de Vries"]),
    ("Bos", ["Eva Bos", "Mark Bos"]),
    ("Yilmaz", ["Ayşe Yilmaz"]),
    ("Mulder", ["Lotte Mulder", "Pieter Mulder"]),  # separated: two households
    ("Visser", ["Fatima Visser"]),
    ("Smit", ["Joost Smit"]),
]
_CHILDREN = ["Noah", "Emma", "Liam", "Julia", "Sem", "Tess", "Finn", "Zoë"]


def _seed_roster(db: Session, school_id: int) -> int:
    """Two classes, their teachers and a handful of families; skipped once the school has classes."""
    if db.exec(select(SchoolClass).where(SchoolClass.school_id == school_id)).first() is not None:
        return 0
    classes = []
    for name, teacher_name, email, room in _CLASSES:
        school_class = SchoolClass(school_id=school_id, name=name)
        user = db.exec(select(User).where(User.email == (email or DEMO_ACCOUNTS["teacher"]))).first()
        teacher = Teacher(
            school_id=school_id,
            display_name=teacher_name,
            email=email or DEMO_ACCOUNTS["teacher"],
            user_id=user.id if user else None,
            default_room=room,
        )
        db.add_all([school_class, teacher])
        db.flush()
        assert school_class.id is not None and teacher.id is not None
        db.add(ClassTeacher(school_id=school_id, class_id=school_class.id, teacher_id=teacher.id))
        classes.append(school_class)
    children = iter(_CHILDREN)
    rows = 2 * len(_CLASSES)
    for number, (surname, names) in enumerate(_FAMILIES):
        separated = len(names) > 1 and surname == "Mulder"
        guardians = _demo_guardians(db, school_id, surname, names, separated=separated)
        kids = 2 if number < 2 else 1  # the demo parent and the Bos family have a child in each class
        for index in range(kids):
            school_class = classes[(number + index) % len(classes)]
            assert school_class.id is not None
            pupil = Pupil(
                school_id=school_id,
                pupil_number=f"{4100 + number * 10 + index}",
                first_name=next(children, f"Kind {number}{index}"),
                name_prefix="de" if surname == "de Vries" else None,
                last_name="Vries" if surname == "de Vries" else surname,
                class_id=school_class.id,
                family_key=number + 1,
                meeting_mode="per_household" if separated else "joint",
            )
            db.add(pupil)
            db.flush()
            assert pupil.id is not None
            for guardian in guardians:
                assert guardian.id is not None
                db.add(PupilGuardian(school_id=school_id, pupil_id=pupil.id, guardian_id=guardian.id))
            rows += 1 + len(guardians)
        rows += 2 * len(guardians)
    return rows


def _demo_guardians(
    db: Session, school_id: int, surname: str, names: list[str], *, separated: bool
) -> list[Guardian]:
    guardians: list[Guardian] = []
    household: Household | None = None
    for name in names:
        if household is None or separated:
            household = Household(school_id=school_id, label=name if separated else " & ".join(names))
            db.add(household)
            db.flush()
        assert household.id is not None
        email = (
            DEMO_ACCOUNTS["parent"]
            if name == "Sanne de Vries"
            else _ascii(name).lower().replace(" ", ".") + "@example.org"
        )
        user = db.exec(select(User).where(User.email == email)).first()
        guardian = Guardian(
            school_id=school_id,
            household_id=household.id,
            display_name=name,
            email=email,
            user_id=user.id if user else None,
        )
        db.add(guardian)
        db.flush()
        guardians.append(guardian)
    return guardians


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _complete_onboarding(db: Session, school: School) -> int:
    """The demo school has its details filled in and the processor agreement accepted by its admin."""
    if school.onboarding_completed_at is not None:
        return 0
    assert school.id is not None
    admin = db.exec(select(User).where(User.email == DEMO_ACCOUNTS["admin"])).one()
    school.street_address, school.postal_code = "Regenbooglaan 1", "3511 AB"
    school.invoice_email = "administratie@regenboog.example"
    school.onboarding_completed_at = utcnow()
    db.add(school)
    db.add(
        PolicyAcceptance(
            user_id=admin.id,
            school_id=school.id,
            document=PolicyDocument.PROCESSOR_AGREEMENT.value,
            version=AGREEMENT_VERSION,
        )
    )
    return 1
