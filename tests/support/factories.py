"""Small builders for test data; they write through an unscoped session like an operator would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session

from ogp_app.models import Membership, Role, School, SchoolStatus, User
from ogp_app.services.sessions import create_session

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

    def _save(self, obj: T) -> T:
        self.session.add(obj)
        self.session.commit()
        self.session.refresh(obj)
        return obj
