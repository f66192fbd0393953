"""Slots: generated from days, teacher hours and breaks; adjusted by hand (block, add, double)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ogp_app.models import (
    Booking,
    ConferenceRound,
    RoundDay,
    RoundTeacher,
    Slot,
    TeacherAvailability,
    TeacherBreak,
)
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.clock import local_instant
from ogp_app.services.rounds.errors import RoundInvalid, SlotNotFound
from ogp_app.services.rounds.lookup import own
from ogp_app.services.rounds.people import teacher_id_of


def _starts(
    day: RoundDay, start: time, end: time, minutes: int, breaks: list[TeacherBreak]
) -> Iterator[datetime]:
    step = timedelta(minutes=minutes)
    at, stop = local_instant(day.day, start), local_instant(day.day, end)
    pauses = [(local_instant(day.day, b.starts_at), local_instant(day.day, b.ends_at)) for b in breaks]
    while at + step <= stop:
        if not any(at < b_end and at + step > b_start for b_start, b_end in pauses):
            yield at
        at += step


def sync_slots(db: Session, *, round_id: int) -> int:
    """Make the slots match the set-up: add missing ones; free ones no longer wanted go (or are blocked
    when a cancelled booking still points at them). Booked and hand-made slots stay. Returns slots added."""
    rnd = db.get(ConferenceRound, round_id)
    assert rnd is not None and rnd.id is not None
    days = db.exec(select(RoundDay).where(RoundDay.round_id == round_id)).all()
    teachers = db.exec(select(RoundTeacher).where(RoundTeacher.round_id == round_id)).all()
    hours = {
        (a.day_id, a.teacher_id): a
        for a in db.exec(select(TeacherAvailability).where(TeacherAvailability.round_id == round_id))
    }
    breaks = db.exec(select(TeacherBreak).where(TeacherBreak.round_id == round_id)).all()
    existing = {
        (s.teacher_id, s.starts_at): s for s in db.exec(select(Slot).where(Slot.round_id == round_id))
    }
    wanted: set[tuple[int, datetime]] = set()
    added = 0
    length = timedelta(minutes=rnd.slot_minutes)
    for day in days:
        assert day.id is not None
        for rt in teachers:
            own_hours = hours.get((day.id, rt.teacher_id))
            if own_hours is not None and own_hours.absent:
                continue
            start = (
                max(day.starts_at, own_hours.starts_at)
                if own_hours and own_hours.starts_at
                else day.starts_at
            )
            end = min(day.ends_at, own_hours.ends_at) if own_hours and own_hours.ends_at else day.ends_at
            pauses = [b for b in breaks if b.day_id == day.id and b.teacher_id == rt.teacher_id]
            for at in _starts(day, start, end, rnd.slot_minutes, pauses):
                wanted.add((rt.teacher_id, at))
                if (rt.teacher_id, at) not in existing:
                    db.add(
                        Slot(
                            school_id=rnd.school_id,
                            round_id=rnd.id,
                            day_id=day.id,
                            teacher_id=rt.teacher_id,
                            starts_at=at,
                            ends_at=at + length,
                        )
                    )
                    added += 1
    booked = set(db.exec(select(Booking.slot_id).where(Booking.round_id == round_id)).all())
    for key, slot in existing.items():
        if key in wanted or slot.status != "free" or slot.ends_at - slot.starts_at != length:
            continue
        if slot.id in booked:
            slot.status = "blocked"
            db.add(slot)
        else:
            db.delete(slot)
    db.flush()
    return added


def _slot_for_change(db: Session, actor: Actor, slot_id: object) -> Slot:
    """Admins change any slot of their school; a teacher only their own."""
    slot = own(db, Slot, slot_id)
    if slot is None:
        raise SlotNotFound()
    if not actor.is_admin and not (actor.is_teacher and teacher_id_of(db, actor) == slot.teacher_id):
        raise PermissionDenied("not your slot")
    return slot


def _has_active_booking(db: Session, slot_id: int) -> bool:
    return (
        db.exec(
            select(Booking.id).where(Booking.slot_id == slot_id, col(Booking.cancelled_at).is_(None))
        ).first()
        is not None
    )


def set_blocked(db: Session, *, actor: Actor, slot_id: int, blocked: bool) -> None:
    """Mark a slot unavailable (or free again). A booked slot must be cancelled or moved first."""
    slot = _slot_for_change(db, actor, slot_id)
    if slot.status == "merged":
        raise RoundInvalid("merged", message_key="rounds.error.slot_merged")
    assert slot.id is not None
    if blocked and _has_active_booking(db, slot.id):
        raise RoundInvalid("booked", message_key="rounds.error.slot_booked")
    slot.status = "blocked" if blocked else "free"
    db.add(slot)
    db.commit()


def add_slot(
    db: Session, *, actor: Actor, round_id: int, teacher_id: int, day_id: int, starts_at: time
) -> int:
    """An extra slot of the round's length (e.g. before the evening starts); must not overlap another."""
    actor.require_admin()
    rnd = own(db, ConferenceRound, round_id)
    day = own(db, RoundDay, day_id)
    if rnd is None or day is None or day.round_id != round_id:
        raise SlotNotFound()
    if (
        db.exec(
            select(RoundTeacher.id).where(
                RoundTeacher.round_id == round_id, RoundTeacher.teacher_id == teacher_id
            )
        ).first()
        is None
    ):
        raise RoundInvalid("teacher", message_key="rounds.error.teacher")
    start = local_instant(day.day, starts_at)
    end = start + timedelta(minutes=rnd.slot_minutes)
    clash = db.exec(
        select(Slot.id).where(
            Slot.round_id == round_id,
            Slot.teacher_id == teacher_id,
            col(Slot.status) != "merged",
            col(Slot.starts_at) < end,
            col(Slot.ends_at) > start,
        )
    ).first()
    if clash is not None:
        raise RoundInvalid("overlap", message_key="rounds.error.slot_overlap")
    slot = Slot(
        school_id=actor.school_id,
        round_id=round_id,
        day_id=day_id,
        teacher_id=teacher_id,
        starts_at=start,
        ends_at=end,
    )
    try:
        with db.begin_nested():
            db.add(slot)
    except IntegrityError as exc:
        raise RoundInvalid("overlap", message_key="rounds.error.slot_overlap") from exc
    db.commit()
    assert slot.id is not None
    return slot.id


def make_double(db: Session, *, actor: Actor, slot_id: int) -> None:
    """Join a slot with the free slot right after it (for a family that needs more time)."""
    slot = _slot_for_change(db, actor, slot_id)
    nxt = db.exec(
        select(Slot).where(
            Slot.round_id == slot.round_id,
            Slot.teacher_id == slot.teacher_id,
            Slot.starts_at == slot.ends_at,
            Slot.status == "free",
        )
    ).first()
    if nxt is None or slot.status == "merged" or nxt.id is None or _has_active_booking(db, nxt.id):
        raise RoundInvalid("double", message_key="rounds.error.no_double")
    slot.ends_at = nxt.ends_at
    nxt.status = "merged"
    db.add_all([slot, nxt])
    db.commit()
