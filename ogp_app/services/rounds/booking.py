"""Booking, cancelling and rebooking. A parent booking their own child takes the short path in
``parent_booking``; everyone else, and every refusal that path cannot explain, comes here. The database
decides races: insert and catch IntegrityError from the partial unique indexes (the index named in the
error tells "slot taken" from "already booked"), then roll the whole transaction back; never
check-then-insert for the "no double booking" rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeGuard

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ogp_app.core.db import SCOPE_KEY
from ogp_app.core.metrics import BOOKINGS
from ogp_app.models import Booking, ConferenceRound, Pupil, Slot
from ogp_app.models.base import utcnow
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds import notify
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking_rules import (
    SlotFacts,
    booking_window_open,
    check_slot_times,
    family_may_change,
    lost_race,
)
from ogp_app.services.rounds.errors import (
    BookingNotFound,
    CancelDeadlinePassed,
    FamilyGapConflict,
    SlotNotFound,
)
from ogp_app.services.rounds.lookup import own
from ogp_app.services.rounds.online import moves as online_moves
from ogp_app.services.rounds.parent_booking import book_own_child
from ogp_app.services.rounds.people import (
    children_of,
    children_with_pupils,
    pupil_households,
    teacher_id_of,
    teachers_to_meet,
)
from ogp_app.services.rounds.statements import family_rules

NOTE_MAX = 500


@dataclass(frozen=True)
class Claim:
    """Whose conversation this is: the pupil and the household key it is booked under."""

    pupil: Pupil
    household_key: int
    own_child: bool = False  # the actor books as this pupil's parent (not on the school's behalf)


_NEW, _MOVED = BOOKINGS.labels("new"), BOOKINGS.labels("moved")  # for the operator (core.metrics)


def _clean_note(note: object) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise PermissionDenied("bad note")
    cleaned = note.strip()[:NOTE_MAX]
    return cleaned or None


def window_open(rnd: ConferenceRound, now: datetime) -> bool:
    return booking_window_open(rnd.status, rnd.booking_opens_at, rnd.booking_closes_at, now)


def claim_for(db: Session, *, actor: Actor, pupil_id: object, household_id: object = None) -> Claim:
    """A parent claims only their own child (under their own household key for per-household pupils).
    School staff claim any pupil of the school; per-household pupils need the household named."""
    if actor.is_parent:  # the parent's own children come with their rows: no second query
        for child, row in children_with_pupils(db, user_id=actor.user_id):
            if type(pupil_id) is int and child.pupil_id == pupil_id and row.archived_at is None:
                return Claim(row, child.household_key, own_child=True)
    pupil = own(db, Pupil, pupil_id)
    if pupil is None or pupil.archived_at is not None:
        raise PermissionDenied("unknown pupil")
    if actor.is_school_staff:
        if pupil.meeting_mode != "per_household":
            return Claim(pupil, JOINT_HOUSEHOLD_KEY)
        if not isinstance(household_id, int) or household_id not in pupil_households(
            db, pupil_id=pupil.id or 0
        ):
            raise PermissionDenied("household required")
        return Claim(pupil, household_id)
    raise PermissionDenied("not your child")


def _check_slot(
    db: Session, *, actor: Actor, slot: Slot, rnd: ConferenceRound, claim: Claim, now: datetime
) -> None:
    check_slot_times(_facts(slot, rnd), actor=actor, now=now)
    if actor.is_school_staff and not actor.is_admin and teacher_id_of(db, actor) != slot.teacher_id:
        raise PermissionDenied("teachers book only in their own slots")
    if slot.teacher_id not in teachers_to_meet(db, rnd=rnd, class_id=claim.pupil.class_id):
        raise PermissionDenied("this teacher is not one this pupil meets in this round")


def _check_family(db: Session, *, rnd: ConferenceRound, slot: Slot, claim: Claim, ignore: int | None) -> None:
    """The family rules (the grid's too): no two meetings of one family at once; with a gap set, also
    not too close in different rooms. ``ignore``: the booking a move replaces."""
    assert claim.pupil.id is not None and rnd.id is not None
    family = family_rules(
        db,
        round_id=rnd.id,
        pupil_id=claim.pupil.id,
        household_key=claim.household_key,
        teacher_id=slot.teacher_id,
        gap_minutes=rnd.family_gap_minutes,
        moving=ignore,
    )
    if family.refuses(slot.starts_at, slot.ends_at):
        raise FamilyGapConflict()


def _facts(slot: Slot, rnd: ConferenceRound) -> SlotFacts:
    return SlotFacts(
        slot.teacher_id,
        slot.starts_at,
        slot.ends_at,
        slot.status,
        rnd.status,
        rnd.booking_opens_at,
        rnd.booking_closes_at,
    )


def _new_booking(*, actor: Actor, slot: Slot, claim: Claim, note: str | None) -> Booking:
    assert slot.id is not None and claim.pupil.id is not None
    return Booking(
        school_id=slot.school_id,
        round_id=slot.round_id,
        slot_id=slot.id,
        teacher_id=slot.teacher_id,
        pupil_id=claim.pupil.id,
        household_id=None if claim.household_key == JOINT_HOUSEHOLD_KEY else claim.household_key,
        household_key=claim.household_key,
        booked_by_user_id=actor.user_id,
        note=note,
    )


def _insert(db: Session, *, booking: Booking) -> Booking:
    """The race is decided here, by the partial unique indexes. The booking row is the transaction's last
    write, so its index entry (which makes a rival insert wait) is held only until the commit right after.
    On a lost race the whole transaction is rolled back (mail queued with it goes too)."""
    db.add(booking)
    try:
        db.flush()
    except IntegrityError as exc:
        db.rollback()
        raise lost_race(exc) from exc
    return booking


def is_id(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _load(db: Session, slot_id: object) -> tuple[Slot, ConferenceRound]:
    """The slot and its round in one query, only if both belong to the session's school."""
    if not is_id(slot_id):
        raise SlotNotFound()
    row = db.exec(
        select(Slot, ConferenceRound)
        .join(ConferenceRound, col(ConferenceRound.id) == col(Slot.round_id))
        .where(Slot.id == slot_id)
    ).first()
    scope = db.info.get(SCOPE_KEY)
    if row is None or row[0].school_id != scope or row[1].school_id != scope:
        raise SlotNotFound()
    return row[0], row[1]


def book(
    db: Session,
    *,
    actor: Actor,
    slot_id: object,
    pupil_id: object,
    note: object = None,
    household_id: object = None,
    now: datetime | None = None,
    send_mail: bool = True,
) -> int:
    """Book ``slot_id`` for a pupil; commit and queue the confirmation. Returns the booking id."""
    now = now or utcnow()
    note_text = _clean_note(note)
    if actor.is_parent and is_id(slot_id) and is_id(pupil_id):
        booked = book_own_child(
            db, actor=actor, slot_id=slot_id, pupil_id=pupil_id, note=note_text, now=now, confirm=send_mail
        )
        if booked is not None:
            _NEW.inc()
            return booked
    claim = claim_for(db, actor=actor, pupil_id=pupil_id, household_id=household_id)
    slot, rnd = _load(db, slot_id)
    _check_slot(db, actor=actor, slot=slot, rnd=rnd, claim=claim, now=now)
    _check_family(db, rnd=rnd, slot=slot, claim=claim, ignore=None)
    booking = _new_booking(actor=actor, slot=slot, claim=claim, note=note_text)
    if send_mail:  # queued first, in the same transaction: a lost race rolls the mail back too
        notify.booked(db, booking=booking, by_school=not claim.own_child)
    _insert(db, booking=booking)
    db.commit()
    _NEW.inc()
    assert booking.id is not None
    return booking.id


def _booking_for(db: Session, *, actor: Actor, booking_id: object) -> tuple[Booking, Claim]:
    """An active booking the actor may change: staff any of the school's; a parent only their own
    household's (a separated parent never sees or touches the other household's booking)."""
    booking = own(db, Booking, booking_id)
    if booking is None or booking.cancelled_at is not None:
        raise BookingNotFound()
    pupil = own(db, Pupil, booking.pupil_id)
    assert pupil is not None
    if actor.is_parent:
        for child in children_of(db, user_id=actor.user_id):
            if child.pupil_id == booking.pupil_id and child.household_key == booking.household_key:
                return booking, Claim(pupil, booking.household_key, own_child=True)
    if actor.is_admin or (actor.is_teacher and teacher_id_of(db, actor) == booking.teacher_id):
        return booking, Claim(pupil, booking.household_key)
    raise BookingNotFound()


def _check_cancel(db: Session, *, actor: Actor, booking: Booking, now: datetime) -> None:
    if actor.is_school_staff:
        return
    rnd = own(db, ConferenceRound, booking.round_id)
    slot = own(db, Slot, booking.slot_id)
    assert rnd is not None and slot is not None
    if not family_may_change(rnd.cancel_until, slot.starts_at, now):
        raise CancelDeadlinePassed()


def cancel(db: Session, *, actor: Actor, booking_id: object, now: datetime | None = None) -> None:
    """Cancel until the deadline (parents); the school may always. Families hear of a school's cancel."""
    now = now or utcnow()
    booking, claim = _booking_for(db, actor=actor, booking_id=booking_id)
    _check_cancel(db, actor=actor, booking=booking, now=now)
    booking.cancelled_at, booking.cancelled_by_user_id = now, actor.user_id
    booking.confirmation_pending = False  # not yet rendered: the cancellation is all they need to hear
    db.add(booking)
    db.flush()
    assert booking.id is not None
    online_moves.forget(db, booking_id=booking.id)
    notify.cancelled(db, booking=booking, by_school=not claim.own_child)
    db.commit()


def rebook(
    db: Session,
    *,
    actor: Actor,
    booking_id: object,
    slot_id: object,
    now: datetime | None = None,
    send_mail: bool = True,
) -> int:
    """Move a booking to another slot atomically: if the new slot is lost, the old booking stays."""
    now = now or utcnow()
    old, claim = _booking_for(db, actor=actor, booking_id=booking_id)
    _check_cancel(db, actor=actor, booking=old, now=now)
    slot, rnd = _load(db, slot_id)
    if slot.round_id != old.round_id or (slot.teacher_id != old.teacher_id and not actor.is_school_staff):
        raise SlotNotFound()
    _check_slot(db, actor=actor, slot=slot, rnd=rnd, claim=claim, now=now)
    _check_family(db, rnd=rnd, slot=slot, claim=claim, ignore=old.id)
    old.cancelled_at, old.cancelled_by_user_id = now, actor.user_id
    old.confirmation_pending = False  # the "moved" confirmation below replaces it
    db.add(old)
    db.flush()
    new = _new_booking(actor=actor, slot=slot, claim=claim, note=old.note)
    _insert(db, booking=new)  # a lost race rolls back everything: the old booking is active again
    assert new.id is not None and old.id is not None
    online_moves.carry_over(db, from_booking_id=old.id, to_booking_id=new.id)
    if send_mail:  # after the insert: the mail carries the moved conversation's online link
        notify.booked(db, booking=new, by_school=not claim.own_child, moved=True)
    db.commit()
    _MOVED.inc()
    return new.id


def set_note(db: Session, *, actor: Actor, booking_id: object, note: object) -> None:
    booking, _claim = _booking_for(db, actor=actor, booking_id=booking_id)
    booking.note = _clean_note(note)
    db.add(booking)
    db.commit()
