"""Small builders for test data; they write through an unscoped session like an operator would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session

from ogp_app.models import (
    ClassTeacher,
    Guardian,
    Household,
    Membership,
    Pupil,
    PupilGuardian,
    Role,
    School,
    SchoolClass,
    SchoolStatus,
    Teacher,
    User,
)
from ogp_app.services.auth.sessions import create_session

_counter = itertools.count(1)
T = TypeVar("T")


@dataclass
class Factory:
    session: Session
    _made: list[object] = field(default_factory=list)

    def school(self, name: str | None = None, **values: object) -> School:
        n = next(_counter)
        school = School(
            name=name or f"School {n}",
            slug=str(values.pop("slug", f"school-{n}")),
            status=str(values.pop("status", SchoolStatus.ACTIVE.value)),
            **values,  # type: ignore[arg-type]
        )
        return self._save(school)

    def user(self, email: str | None = None, name: str | None = None, **values: object) -> User:
        n = next(_counter)
        user = User(email=email or f"person{n}@example.org", display_name=name or f"Person {n}", **values)  # type: ignore[arg-type]
        return self._save(user)

    def member(self, school: School, role: Role, user: User | None = None) -> User:
        user = user or self.user()
        assert school.id is not None and user.id is not None
        self._save(Membership(school_id=school.id, user_id=user.id, role=role.value))
        return user

    def session_token(self, user: User, school: School | None = None) -> str:
        assert user.id is not None
        return create_session(self.session, user_id=user.id, school_id=school.id if school else None)

    # Roster builders: every row carries the school's id explicitly, as a service would set it.

    def school_class(self, school: School, name: str | None = None) -> SchoolClass:
        assert school.id is not None
        return self._save(SchoolClass(school_id=school.id, name=name or f"Groep {next(_counter)}"))

    def teacher(
        self,
        school: School,
        school_class: SchoolClass | None = None,
        *,
        user: User | None = None,
        subject: str | None = None,
        room: str | None = None,
    ) -> Teacher:
        assert school.id is not None
        n = next(_counter)
        teacher = self._save(
            Teacher(
                school_id=school.id,
                display_name=user.display_name if user else f"Leerkracht {n}",
                email=user.email if user else f"teacher{n}@example.org",
                user_id=user.id if user else None,
                default_room=room,
            )
        )
        if school_class is not None:
            assert school_class.id is not None and teacher.id is not None
            self._save(
                ClassTeacher(
                    school_id=school.id, class_id=school_class.id, teacher_id=teacher.id, subject=subject
                )
            )
        return teacher

    def household(self, school: School, label: str | None = None) -> Household:
        assert school.id is not None
        return self._save(Household(school_id=school.id, label=label or f"Huishouden {next(_counter)}"))

    def guardian(
        self,
        school: School,
        household: Household | None = None,
        *,
        user: User | None = None,
        email: str | None = None,
    ) -> Guardian:
        assert school.id is not None
        household = household or self.household(school)
        assert household.id is not None
        n = next(_counter)
        return self._save(
            Guardian(
                school_id=school.id,
                household_id=household.id,
                display_name=user.display_name if user else f"Ouder {n}",
                email=(user.email if user else email) or f"guardian{n}@example.org",
                user_id=user.id if user else None,
            )
        )

    def pupil(
        self,
        school: School,
        school_class: SchoolClass,
        *guardians: Guardian,
        first_name: str | None = None,
        **values: object,
    ) -> Pupil:
        assert school.id is not None and school_class.id is not None
        n = next(_counter)
        pupil = self._save(
            Pupil(
                school_id=school.id,
                class_id=school_class.id,
                pupil_number=str(values.pop("pupil_number", f"{100000 + n}")),
                first_name=first_name or f"Kind{n}",
                last_name=str(values.pop("last_name", "Jansen")),
                **values,  # type: ignore[arg-type]
            )
        )
        for guardian in guardians:
            assert pupil.id is not None and guardian.id is not None
            self._save(PupilGuardian(school_id=school.id, pupil_id=pupil.id, guardian_id=guardian.id))
        return pupil

    def _save(self, obj: T) -> T:
        self.session.add(obj)
        self.session.commit()
        self.session.refresh(obj)
        return obj
