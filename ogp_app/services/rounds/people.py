"""Who is who in a round: a parent's children and households, the teachers each child meets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from ogp_app.models import (
    ClassTeacher,
    ConferenceRound,
    Guardian,
    Pupil,
    PupilGuardian,
    RoundClass,
    RoundTeacher,
    Teacher,
    User,
)
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.services.mail.languages import mail_language
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.statements import teaches_the_rounds_way


def teacher_id_of(db: Session, actor: Actor) -> int | None:
    """The roster teacher linked to the actor's account at this school."""
    return db.exec(
        select(Teacher.id).where(Teacher.user_id == actor.user_id, col(Teacher.archived_at).is_(None))
    ).first()


@dataclass(frozen=True)
class Child:
    pupil_id: int
    first_name: str
    full_name: str
    class_id: int
    family_key: int | None
    household_key: int  # the key this parent books under: own household, or 0 for a joint meeting


def full_name(pupil: Pupil) -> str:
    return " ".join(p for p in (pupil.first_name, pupil.name_prefix, pupil.last_name) if p)


def household_key_for(pupil: Pupil, household_id: int) -> int:
    return household_id if pupil.meeting_mode == "per_household" else JOINT_HOUSEHOLD_KEY


def children_of(db: Session, *, user_id: int) -> list[Child]:
    """The pupils for whom this account is a guardian at the session's school (siblings together)."""
    return [child for child, _pupil in children_with_pupils(db, user_id=user_id)]


def children_with_pupils(db: Session, *, user_id: int) -> list[tuple[Child, Pupil]]:
    """:func:`children_of` with each child's row (the booking checks need it; saves a query)."""
    rows = db.exec(
        select(Pupil, Guardian.household_id)
        .join(PupilGuardian, col(PupilGuardian.pupil_id) == col(Pupil.id))
        .join(Guardian, col(Guardian.id) == col(PupilGuardian.guardian_id))
        .where(
            Guardian.user_id == user_id, col(Guardian.archived_at).is_(None), col(Pupil.archived_at).is_(None)
        )
        .order_by(col(Pupil.first_name), col(Pupil.id))
    ).all()
    seen: dict[int, tuple[Child, Pupil]] = {}
    for pupil, household_id in rows:
        assert pupil.id is not None
        if pupil.id not in seen:
            child = Child(
                pupil.id,
                pupil.first_name,
                full_name(pupil),
                pupil.class_id,
                pupil.family_key,
                household_key_for(pupil, household_id),
            )
            seen[pupil.id] = (child, pupil)
    return list(seen.values())


def pupil_households(db: Session, *, pupil_id: int) -> list[int]:
    return sorted(
        set(
            db.exec(
                select(Guardian.household_id)
                .join(PupilGuardian, col(PupilGuardian.guardian_id) == col(Guardian.id))
                .where(PupilGuardian.pupil_id == pupil_id, col(Guardian.archived_at).is_(None))
            ).all()
        )
    )


def _meeting_links(rnd: ConferenceRound) -> Any:
    """(class, teacher) of every conversation a class's pupils have in the round: mentor rounds the
    class's mentor(s), subject rounds its subject teachers; only teachers in the round and classes
    taking part."""
    return (
        select(ClassTeacher.class_id, ClassTeacher.teacher_id)
        .join(RoundTeacher, col(RoundTeacher.teacher_id) == col(ClassTeacher.teacher_id))
        .join(RoundClass, col(RoundClass.class_id) == col(ClassTeacher.class_id))
        .where(
            teaches_the_rounds_way(col(ClassTeacher.subject), rnd.meeting_kind),
            RoundTeacher.round_id == rnd.id,
            RoundClass.round_id == rnd.id,
        )
    )


def teachers_to_meet(db: Session, *, rnd: ConferenceRound, class_id: int) -> list[int]:
    """The teachers a pupil of this class meets in the round (one query: this runs on every booking)."""
    links = db.exec(_meeting_links(rnd).where(ClassTeacher.class_id == class_id)).all()
    return sorted({teacher_id for _class_id, teacher_id in links})


def teachers_to_meet_per_class(db: Session, *, rnd: ConferenceRound) -> dict[int, list[int]]:
    """:func:`teachers_to_meet` for every class taking part in the round (an empty list: nobody), in two
    queries."""
    out: dict[int, set[int]] = {
        c: set() for c in db.exec(select(RoundClass.class_id).where(RoundClass.round_id == rnd.id)).all()
    }
    for class_id, teacher_id in db.exec(_meeting_links(rnd)).all():
        out.setdefault(class_id, set()).add(teacher_id)
    return {c: sorted(out[c]) for c in sorted(out)}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    user_id: int | None
    household_id: int | None = None


def names_of_users(db: Session, user_ids: set[int]) -> dict[int, str]:
    """The names the school knows these accounts by (who booked or cancelled): a parent's name on the
    roster, else the teacher's, else the account's own."""
    wanted = {u for u in user_ids if u}
    if not wanted:
        return {}
    found: dict[int, str] = {}
    for model in (Guardian, Teacher):
        rows = db.exec(
            select(model.user_id, model.display_name)
            .where(col(model.user_id).in_(wanted - found.keys()))
            .order_by(col(model.id))
        ).all()
        for user_id, name in rows:
            if user_id is not None:
                found.setdefault(user_id, name)
    if wanted - found.keys():
        accounts = select(User.id, User.display_name).where(col(User.id).in_(wanted - found.keys()))
        found.update({uid: name for uid, name in db.exec(accounts).all() if uid is not None})
    return found


def recipients(db: Session, *, pupil_id: int, household_key: int) -> list[Recipient]:
    """Who hears about a booking: the household that booked it, or all guardians for a joint meeting."""
    query = (
        select(Guardian, User.preferred_language)
        .join(PupilGuardian, col(PupilGuardian.guardian_id) == col(Guardian.id))
        .outerjoin(User, col(User.id) == col(Guardian.user_id))
        .where(PupilGuardian.pupil_id == pupil_id, col(Guardian.archived_at).is_(None))
        .order_by(col(Guardian.id))
    )
    if household_key != JOINT_HOUSEHOLD_KEY:
        query = query.where(Guardian.household_id == household_key)
    return [
        Recipient(g.email, g.display_name, mail_language(lang, g.language), g.user_id, g.household_id)
        for g, lang in db.exec(query).all()
    ]
