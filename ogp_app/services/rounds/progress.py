"""Booking progress of a round: per class how many pupils have all their conversations booked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ogp_app.models import Booking, ConferenceRound, Pupil, RoundClass, SchoolClass
from ogp_app.services.rounds.people import teachers_to_meet


@dataclass(frozen=True)
class ClassProgress:
    class_id: int
    class_name: str
    pupils: int
    booked: int  # pupils with every conversation of the round booked

    @property
    def not_booked(self) -> int:
        return self.pupils - self.booked


def _pupils_by_class(db: Session, rnd: ConferenceRound) -> dict[int, list[int]]:
    rows = db.exec(
        select(Pupil.id, Pupil.class_id)
        .join(RoundClass, col(RoundClass.class_id) == col(Pupil.class_id))
        .where(RoundClass.round_id == rnd.id, col(Pupil.archived_at).is_(None))
    ).all()
    out: dict[int, list[int]] = {}
    for pupil_id, class_id in rows:
        assert pupil_id is not None
        out.setdefault(class_id, []).append(pupil_id)
    return out


def _fully_booked(db: Session, rnd: ConferenceRound, class_id: int, pupil_ids: list[int]) -> set[int]:
    needed = set(teachers_to_meet(db, rnd=rnd, class_id=class_id))
    if not needed:
        return set(pupil_ids)
    have: dict[int, set[int]] = {}
    for pupil_id, teacher_id in db.exec(
        select(Booking.pupil_id, Booking.teacher_id).where(
            Booking.round_id == rnd.id,
            col(Booking.pupil_id).in_(pupil_ids),
            col(Booking.cancelled_at).is_(None),
        )
    ).all():
        have.setdefault(pupil_id, set()).add(teacher_id)
    return {p for p in pupil_ids if needed <= have.get(p, set())}


def round_progress(db: Session, *, rnd: ConferenceRound) -> list[ClassProgress]:
    names = {c.id: c.name for c in db.exec(select(SchoolClass))}
    out = []
    for class_id, pupil_ids in sorted(_pupils_by_class(db, rnd).items(), key=lambda kv: names.get(kv[0], "")):
        done = _fully_booked(db, rnd, class_id, pupil_ids)
        out.append(ClassProgress(class_id, names.get(class_id, "?"), len(pupil_ids), len(done)))
    return out


def unbooked_pupil_ids(db: Session, *, rnd: ConferenceRound) -> list[int]:
    missing: list[int] = []
    for class_id, pupil_ids in _pupils_by_class(db, rnd).items():
        done = _fully_booked(db, rnd, class_id, pupil_ids)
        missing.extend(p for p in pupil_ids if p not in done)
    return sorted(missing)
