"""After the conversation: attendance (held, no-show, moved) and the teacher's short note.

Who may see a note: the school's staff of that pupil only, i.e. the school's admins and the teachers of
the pupil's class; never another family. The family reads the summary the teacher wrote for it, and only
where the school turned that on. Outcomes go with their booking (cascade), so the school's booking
retention bounds them too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from ogp_app.models import (
    Booking,
    ClassTeacher,
    ConversationOutcome,
    Pupil,
    School,
    SchoolClass,
    Slot,
    Teacher,
)
from ogp_app.models.base import utcnow
from ogp_app.models.outcomes import ATTENDANCE, NOTE_MAX, SUMMARY_MAX
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.clock import local_instant, to_local
from ogp_app.services.rounds.errors import BookingNotFound
from ogp_app.services.rounds.lookup import own
from ogp_app.services.rounds.people import full_name, teacher_id_of
from ogp_app.services.rounds.progress import family_units, pupil_guardians
from ogp_app.services.rounds.setup import get_round


@dataclass(frozen=True)
class Outcome:
    booking_id: int
    attendance: str  # "" until marked
    note: str
    follow_up_on: date | None
    family_summary: str


def _teachers_booking(db: Session, actor: Actor, booking_id: object) -> tuple[Booking, Slot]:
    """An active booking with the actor as its teacher; one answer ("not found") for anything else."""
    booking = own(db, Booking, booking_id)
    teacher_id = teacher_id_of(db, actor) if actor.is_teacher else None
    if (
        booking is None
        or booking.cancelled_at is not None
        or teacher_id is None
        or booking.teacher_id != teacher_id
    ):
        raise BookingNotFound()
    slot = db.get(Slot, booking.slot_id)
    assert slot is not None
    return booking, slot


def _row(db: Session, booking: Booking) -> ConversationOutcome:
    found = db.exec(select(ConversationOutcome).where(ConversationOutcome.booking_id == booking.id)).first()
    assert booking.id is not None
    return found or ConversationOutcome(school_id=booking.school_id, booking_id=booking.id)


def may_mark(starts_at: datetime, now: datetime) -> bool:
    """Whether a conversation may be marked: from its (local) day on, during or after the evening. The
    one rule for the page's buttons and for mark_attendance."""
    return to_local(now).date() >= to_local(starts_at).date()


def mark_attendance(
    db: Session, *, actor: Actor, booking_id: object, attendance: object, now: datetime | None = None
) -> Outcome:
    """The teacher's tap: held, no-show or moved; from the conversation's day on (during or after)."""
    if attendance not in ATTENDANCE:
        raise InvalidInput(f"attendance {attendance!r}")
    booking, slot = _teachers_booking(db, actor, booking_id)
    if not may_mark(slot.starts_at, now or utcnow()):
        raise InvalidInput("before the conversation's day", message_key="outcomes.error.too_early")
    row = _row(db, booking)
    row.attendance, row.written_by_user_id, row.updated_at = str(attendance), actor.user_id, utcnow()
    db.add(row)
    db.commit()
    return _view(row)


def write_note(
    db: Session,
    *,
    actor: Actor,
    booking_id: object,
    note: object,
    follow_up_on: object = None,
    family_summary: object = "",
) -> Outcome:
    """What was agreed (staff only), a follow-up date, and what the family may read (where the school
    lets it)."""
    if not isinstance(note, str) or not isinstance(family_summary, str):
        raise InvalidInput("note must be text")
    if follow_up_on is not None and not isinstance(follow_up_on, date):
        raise InvalidInput("follow-up date")
    if len(note) > NOTE_MAX or len(family_summary) > SUMMARY_MAX:
        raise InvalidInput("too long", message_key="outcomes.error.too_long")
    booking, _slot = _teachers_booking(db, actor, booking_id)
    row = _row(db, booking)
    row.note, row.family_summary, row.follow_up_on = note.strip(), family_summary.strip(), follow_up_on
    row.written_by_user_id, row.updated_at = actor.user_id, utcnow()
    db.add(row)
    db.commit()
    return _view(row)


def _view(row: ConversationOutcome) -> Outcome:
    return Outcome(row.booking_id, row.attendance or "", row.note, row.follow_up_on, row.family_summary)


def teacher_outcomes(db: Session, *, actor: Actor, booking_ids: list[int]) -> dict[int, Outcome]:
    """The outcomes of the actor's own conversations (the evening page)."""
    teacher_id = teacher_id_of(db, actor) if actor.is_teacher else None
    if teacher_id is None or not booking_ids:
        return {}
    rows = db.exec(
        select(ConversationOutcome)
        .join(Booking, col(Booking.id) == col(ConversationOutcome.booking_id))
        .where(col(ConversationOutcome.booking_id).in_(booking_ids), Booking.teacher_id == teacher_id)
    ).all()
    return {row.booking_id: _view(row) for row in rows}


def may_read_notes(db: Session, *, actor: Actor, pupil: Pupil) -> bool:
    """The school's staff of this pupil: an admin, or a teacher of the pupil's class."""
    if actor.is_admin:
        return True
    teacher_id = teacher_id_of(db, actor) if actor.is_teacher else None
    if teacher_id is None:
        return False
    link = select(ClassTeacher.id).where(
        ClassTeacher.class_id == pupil.class_id, ClassTeacher.teacher_id == teacher_id
    )
    return db.exec(link).first() is not None


@dataclass(frozen=True)
class PupilNote:
    starts_at: datetime
    teacher: str
    attendance: str
    note: str
    follow_up_on: date | None
    family_summary: str


def pupil_notes(db: Session, *, actor: Actor, pupil_id: object) -> list[PupilNote]:
    """Every conversation note about one pupil, newest first, for the pupil's staff; others are refused."""
    pupil = own(db, Pupil, pupil_id)
    if pupil is None or not may_read_notes(db, actor=actor, pupil=pupil):
        raise PermissionDenied("not this pupil's staff")
    rows = db.exec(
        select(ConversationOutcome, Slot.starts_at, Teacher.display_name)
        .join(Booking, col(Booking.id) == col(ConversationOutcome.booking_id))
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .join(Teacher, col(Teacher.id) == col(Booking.teacher_id))
        .where(Booking.pupil_id == pupil.id)
        .order_by(col(Slot.starts_at).desc())
    ).all()
    return [
        PupilNote(starts, teacher, row.attendance or "", row.note, row.follow_up_on, row.family_summary)
        for row, starts, teacher in rows
    ]


def family_summaries(db: Session, *, school_id: int, booking_ids: list[int]) -> dict[int, str]:
    """The summaries of these bookings (the caller has checked they are the family's own), where the
    school shares them; else nothing."""
    if not booking_ids or not summaries_shared(db, school_id=school_id):
        return {}
    rows = db.exec(
        select(ConversationOutcome.booking_id, ConversationOutcome.family_summary).where(
            col(ConversationOutcome.booking_id).in_(booking_ids), ConversationOutcome.family_summary != ""
        )
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class ClassAttendance:
    class_name: str
    booked: int  # active bookings whose conversation has begun
    held: int
    no_show: int
    moved: int

    @property
    def unmarked(self) -> int:
        return self.booked - self.held - self.no_show - self.moved


def attendance_per_class(
    db: Session, *, actor: Actor, round_id: object, now: datetime | None = None
) -> list[ClassAttendance]:
    """Per class of the round: conversations that have begun, and how each was marked. Admins only."""
    actor.require_admin()
    rnd = get_round(db, round_id)
    rows = db.exec(
        select(SchoolClass.name, ConversationOutcome.attendance)
        .select_from(Booking)
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .join(Pupil, col(Pupil.id) == col(Booking.pupil_id))
        .join(SchoolClass, col(SchoolClass.id) == col(Pupil.class_id))
        .outerjoin(ConversationOutcome, col(ConversationOutcome.booking_id) == col(Booking.id))
        .where(
            Booking.round_id == rnd.id,
            col(Booking.cancelled_at).is_(None),
            col(Slot.starts_at) <= (now or utcnow()),
        )
    ).all()
    counts: dict[str, Counter[str]] = {}
    for class_name, attendance in rows:
        counts.setdefault(class_name, Counter())[attendance or ""] += 1
    return [
        ClassAttendance(name, sum(c.values()), c["held"], c["no_show"], c["moved"])
        for name, c in sorted(counts.items())
    ]


def local_midnight(day: date) -> datetime:
    return local_instant(day, time(0, 0))


def school_year_start(now: datetime) -> date:
    """A Dutch school year runs from August: its first day for ``now`` (local)."""
    today = to_local(now).date()
    return date(today.year if today.month >= 8 else today.year - 1, 8, 1)


@dataclass(frozen=True)
class UnseenFamily:
    pupil_id: int
    household_key: int  # as on a booking: the household, or 0 for the pupil's parents together
    pupil: str
    guardians: list[str]


@dataclass(frozen=True)
class ClassUnseen:
    class_id: int
    class_name: str
    families: list[UnseenFamily]


def families_not_seen(db: Session, *, actor: Actor, now: datetime | None = None) -> list[ClassUnseen]:
    """Per class, the families the school has not spoken to this school year: no conversation of theirs
    has begun since August that was not marked no-show or moved. An admin sees every class, a teacher
    the classes they teach."""
    now = now or utcnow()
    classes = db.exec(
        select(SchoolClass).where(col(SchoolClass.archived_at).is_(None)).order_by(SchoolClass.name)
    ).all()
    if not actor.is_admin:
        teacher_id = teacher_id_of(db, actor) if actor.is_teacher else None
        if teacher_id is None:
            raise PermissionDenied("school staff only")
        taught = set(
            db.exec(select(ClassTeacher.class_id).where(ClassTeacher.teacher_id == teacher_id)).all()
        )
        classes = [c for c in classes if c.id in taught]
    pupils = db.exec(
        select(Pupil)
        .where(col(Pupil.class_id).in_([c.id for c in classes]), col(Pupil.archived_at).is_(None))
        .order_by(col(Pupil.first_name), col(Pupil.id))
    ).all()
    seen = set(
        db.exec(
            select(Booking.pupil_id, Booking.household_key)
            .join(Slot, col(Slot.id) == col(Booking.slot_id))
            .outerjoin(ConversationOutcome, col(ConversationOutcome.booking_id) == col(Booking.id))
            .where(
                col(Booking.cancelled_at).is_(None),
                col(Slot.starts_at) <= now,
                col(Slot.starts_at) >= local_midnight(school_year_start(now)),
                col(ConversationOutcome.attendance).is_(None) | (ConversationOutcome.attendance == "held"),
            )
        ).all()
    )
    guardians = pupil_guardians(db, [p.id for p in pupils if p.id is not None])
    by_class: dict[int, list[UnseenFamily]] = {}
    for pupil in pupils:
        assert pupil.id is not None
        for key, contacts in family_units(pupil, guardians.get(pupil.id, [])):
            if (pupil.id, key) not in seen:
                family = UnseenFamily(pupil.id, key, full_name(pupil), [c.name for c in contacts])
                by_class.setdefault(pupil.class_id, []).append(family)
    return [ClassUnseen(c.id or 0, c.name, by_class.get(c.id or 0, [])) for c in classes]


def summaries_shared(db: Session, *, school_id: int) -> bool:
    return bool(db.exec(select(School.share_summaries).where(School.id == school_id)).first())


def share_summaries(db: Session, *, actor: Actor, share: bool) -> None:
    """The admin's choice: families read the teachers' summaries of their conversations, or not."""
    actor.require_admin()
    if not isinstance(share, bool):
        raise InvalidInput("share must be true or false")
    school = db.get(School, actor.school_id)
    assert school is not None
    school.share_summaries = share
    db.add(school)
    db.commit()
