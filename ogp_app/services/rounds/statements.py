"""Core building blocks of the rounds' hot paths (a parent's booking and grid), and the one definition
of a family's meetings that the grid and every booking path (fast and general) use: ``family_rules``.

Every statement built from these goes through ``ogp_app.core.db.school_statement`` (each school table filtered
by :school_id) and runs with ``execute_in_school`` (the session's school bound, refused without one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, and_, bindparam, case, exists, literal, or_, select, true
from sqlmodel import Session, SQLModel

from ogp_app.core.db import execute_in_school, in_school, school_statement
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.rounds.booking_rules import FamilyMeeting, FamilyRules


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


slot, rnd, pupil = table("slot"), table("conference_round"), table("pupil")
link, guardian, booking = table("pupil_guardian"), table("guardian"), table("booking")
class_teacher, round_teacher, round_class = (
    table("class_teacher"),
    table("round_teacher"),
    table("round_class"),
)
round_day = table("round_day")

# The key a parent books under: their own household for a pupil met per household, else 0 (joint).
household_key = case((pupil.c.meeting_mode == "per_household", guardian.c.household_id), else_=literal(0))
household_id = case((pupil.c.meeting_mode == "per_household", guardian.c.household_id), else_=None)


def teaches_the_rounds_way(subject: Any, meeting_kind: Any) -> Any:
    """SQL: a class-teacher link (its ``subject`` column) counts in a round of ``meeting_kind``: mentor
    rounds meet the class's mentors (no subject), subject rounds its subject teachers. ``meeting_kind`` is
    a column, or the kind of a round in hand (a plain condition then, which the planner can use)."""
    if isinstance(meeting_kind, str):
        return subject.is_(None) if meeting_kind == "mentor" else subject.is_not(None)
    return or_(
        and_(meeting_kind == "mentor", subject.is_(None)),
        and_(meeting_kind != "mentor", subject.is_not(None)),
    )


def meets_teacher(teacher_id: Any, round_id: Any) -> Any:
    """EXISTS: ``pupil`` (of the outer query) meets this teacher in this round: the teacher teaches the
    class in the round's way (mentor or subject), is in the round, and the class takes part. One EXISTS
    over three tables: a nested one would not correlate to the outer query."""
    return exists().where(
        *in_school(class_teacher, round_teacher, round_class),
        class_teacher.c.class_id == pupil.c.class_id,
        class_teacher.c.teacher_id == teacher_id,
        teaches_the_rounds_way(class_teacher.c.subject, rnd.c.meeting_kind),
        round_teacher.c.round_id == round_id,
        round_teacher.c.teacher_id == teacher_id,
        round_class.c.round_id == round_id,
        round_class.c.class_id == pupil.c.class_id,
    )


def own_child(statement: Select[Any]) -> Select[Any]:
    """Join ``pupil`` as the :user_id's own (not archived) child, through a guardian row of theirs."""
    return (
        statement.join(pupil, pupil.c.id == bindparam("pupil_id"))
        .join(link, link.c.pupil_id == pupil.c.id)
        .join(guardian, guardian.c.id == link.c.guardian_id)
        .where(
            *in_school(pupil, link, guardian),
            pupil.c.archived_at.is_(None),
            guardian.c.user_id == bindparam("user_id"),
            guardian.c.archived_at.is_(None),
        )
        .order_by(guardian.c.id)
        .limit(1)
    )


# The pupils whose meetings may collide with :pupil_id's: every pupil sharing a household with its (not
# archived) guardians; for a per-household meeting only the pupils of the booking :household_key.
_fam_link, _fam_guardian = link.alias("fam_link"), guardian.alias("fam_guardian")
_own_link, _own_guardian = link.alias("own_link"), guardian.alias("own_guardian")
_family_of_joint = (
    select(_fam_link.c.pupil_id)
    .join(_fam_guardian, _fam_guardian.c.id == _fam_link.c.guardian_id)
    .join(_own_guardian, _own_guardian.c.household_id == _fam_guardian.c.household_id)
    .join(_own_link, _own_link.c.guardian_id == _own_guardian.c.id)
    .where(
        *in_school(_fam_link, _fam_guardian, _own_guardian, _own_link),
        _own_link.c.pupil_id == bindparam("pupil_id"),
        _own_guardian.c.archived_at.is_(None),
    )
)
_family_of_household = (
    select(_fam_link.c.pupil_id)
    .join(_fam_guardian, _fam_guardian.c.id == _fam_link.c.guardian_id)
    .where(*in_school(_fam_link, _fam_guardian), _fam_guardian.c.household_id == bindparam("household_key"))
)
_other = booking.alias("other")


_near = slot.alias("family_slot")


def family_booked(round_id: Any, *, other_teacher_than: Any = None, near: Any = None) -> Any:
    """EXISTS, cheap and wide (the joint family of ``pupil``): any of its active meetings in the round
    (with another teacher than the given one). The exact query runs only when this is true. Written as
    a chain of equalities (pupil -> its guardians -> their households -> those pupils -> their bookings)
    so every step is an index lookup, whatever the planner believes about the size of booking.

    ``near``: (slot, round) of the booking being made: then only a meeting that could break the family
    gap counts: one overlapping the slot, or any when the round sets a gap (the rooms decide then)."""
    conditions = [
        *in_school(_own_link, _own_guardian, _fam_guardian, _fam_link, _other),
        _own_link.c.pupil_id == pupil.c.id,
        _own_guardian.c.id == _own_link.c.guardian_id,
        _own_guardian.c.archived_at.is_(None),
        _fam_guardian.c.household_id == _own_guardian.c.household_id,
        _fam_link.c.guardian_id == _fam_guardian.c.id,
        _other.c.pupil_id == _fam_link.c.pupil_id,
        _other.c.round_id == round_id,
        _other.c.cancelled_at.is_(None),
        true() if other_teacher_than is None else _other.c.teacher_id != other_teacher_than,
    ]
    if near is not None:
        booked_slot, booked_round = near
        conditions += [
            *in_school(_near),
            _near.c.id == _other.c.slot_id,
            or_(
                booked_round.c.family_gap_minutes > 0,
                and_(_near.c.starts_at < booked_slot.c.ends_at, _near.c.ends_at > booked_slot.c.starts_at),
            ),
        ]
    return exists().where(*conditions)


_meeting_room, _planned_room = round_teacher.alias("meeting_room"), round_teacher.alias("planned_room")
# The room of the teacher the conversation is planned with (:teacher_id), beside every meeting: evaluated
# once per statement (an InitPlan), and the rules need it only when the family has a meeting.
_PLANNED_ROOM = (
    select(_planned_room.c.room)
    .where(
        *in_school(_planned_room),
        _planned_room.c.round_id == bindparam("round_id"),
        _planned_room.c.teacher_id == bindparam("teacher_id"),
    )
    .scalar_subquery()
)


def _family_meetings(family: Any, *, per_household: bool) -> Any:
    near = slot.alias("near")
    statement = (
        select(
            _other.c.id,
            _other.c.pupil_id,
            _other.c.teacher_id,
            _meeting_room.c.room,
            near.c.starts_at,
            near.c.ends_at,
            _PLANNED_ROOM.label("planned_room"),
        )
        .join(near, near.c.id == _other.c.slot_id)
        .outerjoin(
            _meeting_room,
            and_(
                *in_school(_meeting_room),
                _meeting_room.c.round_id == _other.c.round_id,
                _meeting_room.c.teacher_id == _other.c.teacher_id,
            ),
        )
        .where(
            *in_school(_other, near),
            _other.c.round_id == bindparam("round_id"),
            _other.c.cancelled_at.is_(None),
            or_(_other.c.pupil_id == bindparam("pupil_id"), _other.c.pupil_id.in_(family)),
        )
    )
    if per_household:  # collides with joint meetings and the booking household's own only
        statement = statement.where(
            _other.c.household_key.in_([JOINT_HOUSEHOLD_KEY, bindparam("household_key")])
        )
    return school_statement(statement)


_FAMILY_JOINT = _family_meetings(_family_of_joint, per_household=False)
_FAMILY_HOUSEHOLD = _family_meetings(_family_of_household, per_household=True)


def family_rules(
    db: Session,
    *,
    round_id: int,
    pupil_id: int,
    household_key: int,
    teacher_id: int,
    gap_minutes: int,
    moving: int | None = None,
) -> FamilyRules:
    """The family rules for this pupil's conversation with this teacher, booked under ``household_key``:
    the one set of the family's meetings that the grid and every booking path use (one statement).
    ``moving``: the booking a move replaces."""
    statement = _FAMILY_JOINT if household_key == JOINT_HOUSEHOLD_KEY else _FAMILY_HOUSEHOLD
    params = {
        "round_id": round_id,
        "pupil_id": pupil_id,
        "household_key": household_key,
        "teacher_id": teacher_id,
    }
    rows = execute_in_school(db, statement, params).all()
    meetings = [
        FamilyMeeting(r.id, r.pupil_id, r.teacher_id, r.room or "", r.starts_at, r.ends_at) for r in rows
    ]
    room = (rows[0].planned_room or "") if rows else ""
    return FamilyRules.of(
        meetings, pupil_id=pupil_id, teacher_id=teacher_id, room=room, gap_minutes=gap_minutes, moving=moving
    )
