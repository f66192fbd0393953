"""What opening a round reaches: the pupils of its classes and their parents' addresses.

Opening itself sends no e-mail (``setup.set_status``); the admin's dialog says so and how many parents
the round's reminder would reach.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ogp_app.models import Guardian, Pupil, PupilGuardian, RoundClass


@dataclass(frozen=True)
class OpeningReach:
    pupils: int
    addresses: int  # distinct parent e-mail addresses (one mail each, as the reminder sends)


def opening_reach(db: Session, *, round_id: int) -> OpeningReach:
    """Active pupils of the round's classes, and their active guardians' distinct addresses."""
    pupils = (
        select(Pupil.id)
        .join(RoundClass, col(RoundClass.class_id) == col(Pupil.class_id))
        .where(RoundClass.round_id == round_id, col(Pupil.archived_at).is_(None))
    )
    pupil_count = db.exec(select(func.count()).select_from(pupils.subquery())).one()
    addresses = db.exec(
        select(func.count(func.distinct(Guardian.email)))
        .join(PupilGuardian, col(PupilGuardian.guardian_id) == col(Guardian.id))
        .where(col(PupilGuardian.pupil_id).in_(pupils), col(Guardian.archived_at).is_(None))
    ).one()
    return OpeningReach(pupils=pupil_count, addresses=addresses)
