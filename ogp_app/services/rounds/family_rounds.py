"""Which rounds a family has to book: the open or coming rounds their children take part in.

One definition for the invitation mail (what it names, how long its link lives) and for where a parent
lands after logging in (``/book`` while such a round exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from ogp_app.models import ConferenceRound, Guardian, Pupil, PupilGuardian, RoundClass, SchoolClass
from ogp_app.services.rounds.people import full_name


@dataclass(frozen=True)
class RoundToBook:
    name: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class FamilyRounds:
    children: list[str]  # "Noah Jansen (Groep 5)", by first name
    rounds: list[RoundToBook]  # by closing time

    @property
    def last_close(self) -> datetime | None:
        return max((r.closes_at for r in self.rounds), default=None)


def _rounds_of(db: Session, class_ids: set[int], now: datetime) -> list[RoundToBook]:
    """Open rounds of these classes whose booking has not closed (it may not have opened yet)."""
    if not class_ids:
        return []
    rows = db.exec(
        select(ConferenceRound)
        .join(RoundClass, col(RoundClass.round_id) == col(ConferenceRound.id))
        .where(
            ConferenceRound.status == "open",
            col(ConferenceRound.booking_opens_at).is_not(None),
            col(ConferenceRound.booking_closes_at) > now,
            col(RoundClass.class_id).in_(class_ids),
        )
        .distinct()
    ).all()
    found = [RoundToBook(r.name, r.booking_opens_at, r.booking_closes_at) for r in rows]  # type: ignore[arg-type]
    return sorted(found, key=lambda r: (r.closes_at, r.name))


def _guardians_children(query: Any, school_id: int, guardian: ColumnElement[bool]) -> Any:
    """``query`` over the active pupils of the school's active guardian rows that match ``guardian``."""
    return (
        query.join(PupilGuardian, col(PupilGuardian.pupil_id) == col(Pupil.id))
        .join(Guardian, col(Guardian.id) == col(PupilGuardian.guardian_id))
        .where(
            Guardian.school_id == school_id,
            guardian,
            col(Guardian.archived_at).is_(None),
            col(Pupil.archived_at).is_(None),
        )
    )


def family_rounds(db: Session, *, school_id: int, email: str, now: datetime) -> FamilyRounds:
    """The children of the school's guardian rows with this address, and their rounds to book.

    By address, not account: an invitation goes out before the roster's rows are linked to the account.
    The school is named explicitly: the expired-link page's refresh runs unscoped.
    """
    query = select(Pupil, SchoolClass.name).join(SchoolClass, col(SchoolClass.id) == col(Pupil.class_id))
    found = _guardians_children(query, school_id, col(Guardian.email) == email)
    rows = db.exec(found.order_by(col(Pupil.first_name), col(Pupil.id))).all()
    children: dict[int, str] = {}
    for pupil, class_name in rows:
        assert pupil.id is not None
        children.setdefault(pupil.id, f"{full_name(pupil)} ({class_name})")
    class_ids = {pupil.class_id for pupil, _name in rows}
    return FamilyRounds(list(children.values()), _rounds_of(db, class_ids, now))


def has_round_to_book(db: Session, *, school_id: int, user_id: int, now: datetime) -> bool:
    """Whether the account is a guardian of a child at the school in an open or coming round."""
    query = _guardians_children(select(Pupil.class_id), school_id, col(Guardian.user_id) == user_id)
    return bool(_rounds_of(db, set(db.exec(query).all()), now))
