"""What a teacher's own pages read (/teacher/evening, /teacher/not-booked), each in one session."""

from __future__ import annotations

from sqlmodel import Session

from ogp_app.services.errors import DomainError, PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.people import teacher_id_of
from ogp_app.services.rounds.progress import ClassFamilies, families_not_booked
from ogp_app.services.rounds.views import Evening, list_rounds, teacher_evening

# The rounds whose families a teacher follows: booking is open, or was.
_FOLLOWED = ("open", "closed")


def current_evening(db: Session, *, actor: Actor) -> Evening | None:
    """The teacher's timeline in the newest round that has one for them; None when no round has.
    Raises PermissionDenied for an account that is no teacher of the school's roster."""
    if teacher_id_of(db, actor) is None:
        raise PermissionDenied("no roster teacher for this account")
    for rnd in list_rounds(db, actor=actor):
        try:
            return teacher_evening(db, actor=actor, round_id=rnd.round_id)
        except DomainError:  # not in this round: try the one before
            continue
    return None


def not_booked_per_round(db: Session, *, actor: Actor) -> list[tuple[str, list[ClassFamilies]]]:
    """Per open or closed round (its name, newest first): the families of the teacher's classes who
    have not booked yet."""
    return [
        (rnd.name, families_not_booked(db, actor=actor, round_id=rnd.round_id))
        for rnd in list_rounds(db, actor=actor)
        if rnd.status in _FOLLOWED
    ]
