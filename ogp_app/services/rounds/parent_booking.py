"""A parent booking their own child: the booking rush's path, in at most three statements and a commit.

The same rules as :func:`booking.book` (which calls this first), read by Core statements built once
(``school_statement`` checks each names the school) instead of a dozen ORM queries: one row with the
slot, its round, the pupil as this parent's child and whether the pupil meets the slot's teacher; the
family's other meetings only when there are any; then the insert, where the partial unique indexes decide
every race. The confirmation mail is rendered after the commit by the mail worker
(``notify.render_pending_confirmations``), so the transaction holds its index entry for one round trip.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, and_, bindparam, case, exists, insert, literal, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, SQLModel

from ogp_app.db import SCHOOL_PARAM, execute_in_school, school_statement
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking_rules import (
    SlotFacts,
    check_slot_times,
    family_conflict,
    violated_pupil_rule,
)
from ogp_app.services.rounds.errors import AlreadyBooked, FamilyGapConflict, SlotTaken


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


SCHOOL: BindParameter[int] = bindparam(SCHOOL_PARAM)  # every statement here names the school
slot, rnd, pupil = table("slot"), table("conference_round"), table("pupil")
link, guardian, booking = table("pupil_guardian"), table("guardian"), table("booking")
class_teacher, round_teacher, round_class = (
    table("class_teacher"),
    table("round_teacher"),
    table("round_class"),
)


def meets_teacher(teacher_id: Any, round_id: Any) -> Any:
    """EXISTS: the pupil (``pupil`` in the outer query) meets this teacher in this round: the teacher
    teaches the class in the round's way (mentor or subject), is in the round, and the class takes part.
    One EXISTS over three tables: a nested one would not correlate to the outer query."""
    return exists().where(
        class_teacher.c.school_id == SCHOOL,
        class_teacher.c.class_id == pupil.c.class_id,
        class_teacher.c.teacher_id == teacher_id,
        or_(
            and_(rnd.c.meeting_kind == "mentor", class_teacher.c.subject.is_(None)),
            and_(rnd.c.meeting_kind != "mentor", class_teacher.c.subject.is_not(None)),
        ),
        round_teacher.c.school_id == SCHOOL,
        round_teacher.c.round_id == round_id,
        round_teacher.c.teacher_id == teacher_id,
        round_class.c.school_id == SCHOOL,
        round_class.c.round_id == round_id,
        round_class.c.class_id == pupil.c.class_id,
    )


# The pupils whose meetings may collide with this one (booking.family_pupil_ids): those sharing a
# household with the pupil's guardians, or only the booking household's pupils for a per-household meeting.
_fam_link, _fam_guardian = link.alias("fam_link"), guardian.alias("fam_guardian")
_own_link, _own_guardian = link.alias("own_link"), guardian.alias("own_guardian")
household_key = case((pupil.c.meeting_mode == "per_household", guardian.c.household_id), else_=literal(0))
_family_of_joint = (
    select(_fam_link.c.pupil_id)
    .join(_fam_guardian, _fam_guardian.c.id == _fam_link.c.guardian_id)
    .join(_own_guardian, _own_guardian.c.household_id == _fam_guardian.c.household_id)
    .join(_own_link, _own_link.c.guardian_id == _own_guardian.c.id)
    .where(
        _fam_link.c.school_id == SCHOOL,
        _fam_guardian.c.school_id == SCHOOL,
        _own_guardian.c.school_id == SCHOOL,
        _own_link.c.school_id == SCHOOL,
        _own_link.c.pupil_id == bindparam("pupil_id"),
        _own_guardian.c.archived_at.is_(None),
    )
)
_family_of_household = (
    select(_fam_link.c.pupil_id)
    .join(_fam_guardian, _fam_guardian.c.id == _fam_link.c.guardian_id)
    .where(
        _fam_link.c.school_id == SCHOOL,
        _fam_guardian.c.school_id == SCHOOL,
        _fam_guardian.c.household_id == bindparam("household_key"),
    )
)
_other = booking.alias("other")


def family_booked(round_id: Any, *, other_teacher_than: Any = None) -> Any:
    """EXISTS, cheap and wide (the joint family of ``pupil``): any of its active meetings in the round
    (with another teacher than the given one). The exact query runs only when this is true."""
    return exists().where(
        _other.c.school_id == SCHOOL,
        _other.c.round_id == round_id,
        _other.c.cancelled_at.is_(None),
        true() if other_teacher_than is None else _other.c.teacher_id != other_teacher_than,
        or_(_other.c.pupil_id == pupil.c.id, _other.c.pupil_id.in_(_family_of_joint)),
    )


def own_child(statement: Select[Any]) -> Select[Any]:
    """Join ``pupil`` as the :user_id's own (not archived) child, through a guardian row of theirs."""
    return (
        statement.join(pupil, pupil.c.id == bindparam("pupil_id"))
        .join(link, link.c.pupil_id == pupil.c.id)
        .join(guardian, guardian.c.id == link.c.guardian_id)
        .where(
            pupil.c.school_id == SCHOOL,
            link.c.school_id == SCHOOL,
            guardian.c.school_id == SCHOOL,
            pupil.c.archived_at.is_(None),
            guardian.c.user_id == bindparam("user_id"),
            guardian.c.archived_at.is_(None),
        )
        .order_by(guardian.c.id)
        .limit(1)
    )


FACTS = school_statement(
    own_child(
        select(
            slot.c.round_id,
            slot.c.teacher_id,
            slot.c.starts_at,
            slot.c.ends_at,
            slot.c.status,
            rnd.c.status.label("round_status"),
            rnd.c.booking_opens_at,
            rnd.c.booking_closes_at,
            rnd.c.family_gap_minutes,
            household_key.label("household_key"),
            meets_teacher(slot.c.teacher_id, slot.c.round_id).label("meets"),
            family_booked(slot.c.round_id, other_teacher_than=slot.c.teacher_id).label("family_booked"),
        )
        .select_from(slot)
        .join(rnd, rnd.c.id == slot.c.round_id)
        .where(slot.c.school_id == SCHOOL, rnd.c.school_id == SCHOOL, slot.c.id == bindparam("slot_id"))
    )
)


def _family_meetings(family: Any, *, per_household: bool) -> Any:
    """The family's active meetings in the round: (teacher, start, end). A per-household meeting
    collides only with joint meetings and the booking household's own."""
    near = slot.alias("near")
    statement = (
        select(_other.c.teacher_id, near.c.starts_at, near.c.ends_at)
        .join(near, near.c.id == _other.c.slot_id)
        .where(
            _other.c.school_id == SCHOOL,
            near.c.school_id == SCHOOL,
            _other.c.round_id == bindparam("round_id"),
            _other.c.cancelled_at.is_(None),
            or_(_other.c.pupil_id == bindparam("pupil_id"), _other.c.pupil_id.in_(family)),
        )
    )
    if per_household:
        statement = statement.where(
            _other.c.household_key.in_([JOINT_HOUSEHOLD_KEY, bindparam("household_key")])
        )
    return school_statement(statement)


FAMILY_JOINT = _family_meetings(_family_of_joint, per_household=False)
FAMILY_HOUSEHOLD = _family_meetings(_family_of_household, per_household=True)
ROOMS = school_statement(
    select(round_teacher.c.teacher_id, round_teacher.c.room).where(
        round_teacher.c.school_id == SCHOOL, round_teacher.c.round_id == bindparam("round_id")
    )
)

INSERT = school_statement(
    insert(booking)
    .values(
        school_id=SCHOOL,
        round_id=bindparam("round_id"),
        slot_id=bindparam("slot_id"),
        teacher_id=bindparam("teacher_id"),
        pupil_id=bindparam("pupil_id"),
        household_id=bindparam("household_id"),
        household_key=bindparam("household_key"),
        booked_by_user_id=bindparam("user_id"),
        note=bindparam("note"),
        created_at=bindparam("now"),
        confirmation_pending=True,
    )
    .returning(booking.c.id)
)


def family_meetings(db: Session, household_key: int, params: dict[str, Any]) -> list[tuple[int, Any, Any]]:
    """(teacher, start, end) of the family's active meetings; params: pupil_id, round_id, household_key."""
    near = FAMILY_JOINT if household_key == JOINT_HOUSEHOLD_KEY else FAMILY_HOUSEHOLD
    return [(m.teacher_id, m.starts_at, m.ends_at) for m in execute_in_school(db, near, params)]


def book_own_child(
    db: Session, *, actor: Actor, slot_id: int, pupil_id: int, note: str | None, now: datetime
) -> int | None:
    """Book for the actor's own child and commit; None when the pupil is not the actor's child or the
    slot is not the school's (the caller's general path then decides and explains)."""
    params: dict[str, Any] = {"slot_id": slot_id, "pupil_id": pupil_id, "user_id": actor.user_id}
    row = execute_in_school(db, FACTS, params).first()
    if row is None:
        db.rollback()
        return None
    facts = SlotFacts(
        row.teacher_id, row.starts_at, row.ends_at, row.status, row.round_status,
        row.booking_opens_at, row.booking_closes_at,
    )  # fmt: skip
    check_slot_times(facts, actor=actor, now=now)
    if not row.meets:
        raise PermissionDenied("this teacher is not one this pupil meets in this round")
    key = int(row.household_key)
    params.update(round_id=row.round_id, household_key=key)
    if row.family_booked:
        booked = family_meetings(db, key, params)
        rooms = dict(execute_in_school(db, ROOMS, params).tuples().all()) if booked else {}
        if family_conflict(booked, slot=facts, gap_minutes=row.family_gap_minutes, rooms=rooms):
            raise FamilyGapConflict()
    params.update(
        teacher_id=row.teacher_id,
        household_id=None if key == JOINT_HOUSEHOLD_KEY else key,
        note=note,
        now=now,
    )
    try:
        booking_id = execute_in_school(db, INSERT, params).scalar_one()
    except IntegrityError as exc:
        db.rollback()
        raise (AlreadyBooked() if violated_pupil_rule(exc) else SlotTaken()) from exc
    db.commit()
    return int(booking_id)
