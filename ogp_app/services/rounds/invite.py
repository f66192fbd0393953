"""Invite to talk: a teacher books one of their own free times for a pupil they meet in the round, on the
family's behalf; the family gets the usual confirmation (with .ics), marked as planned by the school and
carrying the teacher's optional message. The same rules as every booking apply (unique indexes decide)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ogp_app.models import Booking, ConferenceRound, Pupil, RoundTeacher, SchoolClass, Slot
from ogp_app.models.base import utcnow
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds import notify
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import (
    NOTE_MAX,
    _check_family,
    _check_slot,
    _insert,
    _load,
    _new_booking,
    claim_for,
)
from ogp_app.services.rounds.errors import BookingWindowClosed, RoundNotFound, SlotNotFound
from ogp_app.services.rounds.people import full_name, household_key_for, pupil_households, teacher_id_of
from ogp_app.services.rounds.people import teachers_to_meet as _teachers_to_meet
from ogp_app.services.rounds.setup import get_round
from ogp_app.services.rounds.views import _guardian_names


@dataclass(frozen=True)
class InviteCandidate:
    pupil_id: int
    household_id: int | None  # set for a pupil with a meeting per household: one option per household
    label: str  # "Noah Jansen (Groep 5)", with the guardians' names for a per-household option


@dataclass(frozen=True)
class FreeTime:
    slot_id: int
    starts_at: datetime
    ends_at: datetime


def _own_teacher(db: Session, *, actor: Actor, round_id: object) -> tuple[ConferenceRound, int]:
    """The round and the actor's own roster teacher, who must take part in it."""
    if not actor.is_teacher:
        raise PermissionDenied("teachers only")
    rnd = get_round(db, round_id)
    tid = teacher_id_of(db, actor)
    if tid is None:
        raise PermissionDenied("no roster teacher for this account")
    taking_part = db.exec(
        select(RoundTeacher.id).where(RoundTeacher.round_id == rnd.id, RoundTeacher.teacher_id == tid)
    ).first()
    if taking_part is None:
        raise RoundNotFound()
    if rnd.status == "archived":
        raise BookingWindowClosed()
    return rnd, tid


def invite_candidates(db: Session, *, actor: Actor, round_id: object) -> list[InviteCandidate]:
    """Pupils the teacher meets in this round who have no conversation with them yet (per household
    for pupils whose separated parents each have their own meeting)."""
    rnd, tid = _own_teacher(db, actor=actor, round_id=round_id)
    classes = {
        c.id: c.name
        for c in db.exec(select(SchoolClass).where(col(SchoolClass.archived_at).is_(None)))
        if c.id is not None and tid in _teachers_to_meet(db, rnd=rnd, class_id=c.id)
    }
    if not classes:
        return []
    booked = set(
        db.exec(
            select(Booking.pupil_id, Booking.household_key).where(
                Booking.round_id == rnd.id, Booking.teacher_id == tid, col(Booking.cancelled_at).is_(None)
            )
        ).all()
    )
    pupils = db.exec(
        select(Pupil)
        .where(col(Pupil.class_id).in_(list(classes)), col(Pupil.archived_at).is_(None))
        .order_by(col(Pupil.first_name), col(Pupil.last_name), col(Pupil.id))
    ).all()
    out: list[InviteCandidate] = []
    for pupil in pupils:
        assert pupil.id is not None
        label = f"{full_name(pupil)} ({classes[pupil.class_id]})"
        if pupil.meeting_mode != "per_household":
            if (pupil.id, JOINT_HOUSEHOLD_KEY) not in booked:
                out.append(InviteCandidate(pupil.id, None, label))
            continue
        for household in pupil_households(db, pupil_id=pupil.id):
            key = household_key_for(pupil, household)
            if (pupil.id, key) not in booked:
                names = _guardian_names(db, pupil.id, key)
                out.append(InviteCandidate(pupil.id, household, f"{label} - {names}" if names else label))
    return out


def invite_times(
    db: Session, *, actor: Actor, round_id: object, now: datetime | None = None
) -> list[FreeTime]:
    """The teacher's own free, future times in the round."""
    now = now or utcnow()
    rnd, tid = _own_teacher(db, actor=actor, round_id=round_id)
    active = (col(Booking.slot_id) == col(Slot.id)) & col(Booking.cancelled_at).is_(None)
    slots = db.exec(
        select(Slot)
        .outerjoin(Booking, active)
        .where(
            Slot.round_id == rnd.id,
            Slot.teacher_id == tid,
            Slot.status == "free",
            col(Slot.starts_at) > now,
            col(Booking.id).is_(None),
        )
        .order_by(col(Slot.starts_at))
    ).all()
    return [FreeTime(s.id, s.starts_at, s.ends_at) for s in slots if s.id is not None]


def _clean_message(message: object) -> str:
    if message is None:
        return ""
    if not isinstance(message, str):
        raise PermissionDenied("bad message")
    return message.strip()[:NOTE_MAX]


def invite_to_talk(
    db: Session,
    *,
    actor: Actor,
    round_id: object,
    slot_id: object,
    pupil_id: object,
    household_id: object = None,
    message: object = None,
    now: datetime | None = None,
) -> int:
    """Book the teacher's own ``slot_id`` for the pupil and queue the family's mail in one transaction."""
    now = now or utcnow()
    text = _clean_message(message)
    rnd, tid = _own_teacher(db, actor=actor, round_id=round_id)
    slot, slot_round = _load(db, slot_id)
    if slot_round.id != rnd.id or slot.teacher_id != tid:
        raise SlotNotFound()  # only the teacher's own times, also for a teacher who is admin too
    # as the school, also when the teacher happens to be this pupil's parent too
    staff = Actor(actor.user_id, actor.school_id, is_teacher=True)
    claim = claim_for(db, actor=staff, pupil_id=pupil_id, household_id=household_id)
    if slot.starts_at <= now:
        raise SlotNotFound()
    _check_slot(db, actor=actor, slot=slot, rnd=rnd, claim=claim, now=now)
    _check_family(db, rnd=rnd, slot=slot, claim=claim, ignore=None)
    booking = _new_booking(actor=actor, slot=slot, claim=claim, note=None)
    notify.booked(db, booking=booking, by_school=True, message=text)  # before the insert, as in book()
    _insert(db, booking=booking)
    db.commit()
    assert booking.id is not None
    return booking.id
