"""Who has not booked yet, per round and class, and the progress counts built from the same rule.

The unit is a pupil's conversation as a family books it: one per pupil for a joint meeting, one per
household for a pupil met per household (the ``household_key`` a booking carries). A unit has not booked
while any teacher the pupil meets in the round (``teachers_to_meet``) has no active booking under that
key. A pupil counts as booked when none of their units misses a conversation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ogp_app.models import (
    Booking,
    ConferenceRound,
    FamilyReminder,
    Guardian,
    Pupil,
    PupilGuardian,
    SchoolClass,
    Teacher,
    User,
)
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.models.roster import PER_HOUSEHOLD
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.mail.languages import mail_language
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import is_id
from ogp_app.services.rounds.people import full_name, teacher_id_of, teachers_to_meet_per_class
from ogp_app.services.rounds.setup import get_round


@dataclass(frozen=True)
class Contact:
    """A guardian to remind: never shown on a page (names are), used for the mail only."""

    email: str
    name: str
    language: str
    user_id: int | None


@dataclass(frozen=True)
class Family:
    """One pupil's conversation(s) a household (or, for a joint meeting, the parents together) still
    has to book."""

    pupil_id: int
    household_key: int
    pupil: str
    guardians: list[str]
    missing: list[str]  # the teachers still to book
    last_reminder: datetime | None
    contacts: list[Contact] = field(default_factory=list)


@dataclass(frozen=True)
class ClassFamilies:
    class_id: int
    class_name: str
    pupils: int
    booked: int  # pupils with every conversation of the round booked (per household when so met)
    families: list[Family]

    @property
    def not_booked(self) -> int:
        return self.pupils - self.booked


@dataclass(frozen=True)
class ClassProgress:
    class_id: int
    class_name: str
    pupils: int
    booked: int

    @property
    def not_booked(self) -> int:
        return self.pupils - self.booked


def _classes_in_view(db: Session, actor: Actor, rnd: ConferenceRound) -> dict[int, list[int]]:
    """Class -> teachers its pupils meet in the round, for the classes the actor may see: an admin all
    of the round's (also one whose pupils meet nobody: all done), a teacher those they meet in it."""
    if not actor.is_admin and not actor.is_teacher:
        raise PermissionDenied("school staff only")
    own = None if actor.is_admin else teacher_id_of(db, actor)
    if not actor.is_admin and own is None:
        raise PermissionDenied("no roster teacher for this account")
    classes = teachers_to_meet_per_class(db, rnd=rnd)
    return {c: needed for c, needed in classes.items() if own is None or own in needed}


def pupil_guardians(db: Session, pupil_ids: list[int]) -> dict[int, list[tuple[int, Contact]]]:
    """Pupil -> (household, contact) of each active guardian, by name."""
    rows = db.exec(
        select(PupilGuardian.pupil_id, Guardian, User.preferred_language)
        .join(Guardian, col(Guardian.id) == col(PupilGuardian.guardian_id))
        .outerjoin(User, col(User.id) == col(Guardian.user_id))
        .where(col(PupilGuardian.pupil_id).in_(pupil_ids), col(Guardian.archived_at).is_(None))
        .order_by(col(Guardian.display_name), col(Guardian.id))
    ).all()
    out: dict[int, list[tuple[int, Contact]]] = defaultdict(list)
    for pupil_id, g, account_language in rows:
        language = mail_language(account_language, g.language)
        out[pupil_id].append((g.household_id, Contact(g.email, g.display_name, language, g.user_id)))
    return out


def family_units(pupil: Pupil, guardians: list[tuple[int, Contact]]) -> list[tuple[int, list[Contact]]]:
    """(household key, contacts) of each conversation the pupil's family books."""
    if pupil.meeting_mode != PER_HOUSEHOLD or not guardians:
        return [(JOINT_HOUSEHOLD_KEY, [c for _h, c in guardians])]
    households: dict[int, list[Contact]] = defaultdict(list)
    for household, contact in guardians:
        households[household].append(contact)
    return sorted(households.items())


def families_not_booked(
    db: Session, *, actor: Actor, round_id: object, class_id: object = None
) -> list[ClassFamilies]:
    """Per class (all the actor may see, or the one ``class_id``): the families still to book."""
    rnd = get_round(db, round_id)
    classes = _classes_in_view(db, actor, rnd)
    if class_id is not None:
        if not is_id(class_id) or class_id not in classes:
            raise PermissionDenied("not a class of this round the actor may see")
        classes = {class_id: classes[class_id]}
    return _by_class(db, rnd, classes)


def _by_class(db: Session, rnd: ConferenceRound, classes: dict[int, list[int]]) -> list[ClassFamilies]:
    if not classes:
        return []
    pupils = db.exec(
        select(Pupil)
        .where(col(Pupil.class_id).in_(list(classes)), col(Pupil.archived_at).is_(None))
        .order_by(col(Pupil.last_name), col(Pupil.first_name), col(Pupil.id))
    ).all()
    ids = [p.id for p in pupils if p.id is not None]
    guardians = pupil_guardians(db, ids)
    booked: set[tuple[int, int, int]] = set(
        db.exec(
            select(Booking.pupil_id, Booking.household_key, Booking.teacher_id).where(
                Booking.round_id == rnd.id,
                col(Booking.pupil_id).in_(ids),
                col(Booking.cancelled_at).is_(None),
            )
        ).all()
    )
    last: dict[tuple[int, int], datetime] = {
        (pupil_id, key): sent
        for pupil_id, key, sent in db.exec(
            select(FamilyReminder.pupil_id, FamilyReminder.household_key, func.max(FamilyReminder.sent_at))
            .where(FamilyReminder.round_id == rnd.id)
            .group_by(col(FamilyReminder.pupil_id), col(FamilyReminder.household_key))
        ).all()
    }
    teacher_ids = {t for needed in classes.values() for t in needed}
    teachers = dict(
        db.exec(select(Teacher.id, Teacher.display_name).where(col(Teacher.id).in_(teacher_ids))).all()
    )
    names = dict(
        db.exec(select(SchoolClass.id, SchoolClass.name).where(col(SchoolClass.id).in_(classes))).all()
    )
    per_class: dict[int, tuple[list[Family], set[int]]] = {c: ([], set()) for c in classes}
    counts: dict[int, int] = defaultdict(int)
    for pupil in pupils:
        assert pupil.id is not None
        counts[pupil.class_id] += 1
        families, not_done = per_class[pupil.class_id]
        for key, contacts in family_units(pupil, guardians.get(pupil.id, [])):
            missing = [t for t in classes[pupil.class_id] if (pupil.id, key, t) not in booked]
            if missing:
                not_done.add(pupil.id)
                families.append(
                    Family(
                        pupil.id,
                        key,
                        full_name(pupil),
                        [c.name for c in contacts],
                        [teachers.get(t, "") for t in missing],
                        last.get((pupil.id, key)),
                        contacts,
                    )
                )
    out = [
        ClassFamilies(c, names.get(c, "?"), counts[c], counts[c] - len(per_class[c][1]), per_class[c][0])
        for c in classes
    ]
    return sorted(out, key=lambda c: c.class_name)


def round_progress(db: Session, *, rnd: ConferenceRound) -> list[ClassProgress]:
    """Per class of the round with pupils: how many have booked everything (the rule above)."""
    classes = teachers_to_meet_per_class(db, rnd=rnd)
    return [
        ClassProgress(c.class_id, c.class_name, c.pupils, c.booked)
        for c in _by_class(db, rnd, classes)
        if c.pupils
    ]
