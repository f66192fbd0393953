"""What /school/rounds lists for the school's admin, read in one session: the active classes (to pick
for a new round) and every round with its progress per class and, until it is open, whom opening it
reaches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ogp_app.models import SchoolClass
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.opening import OpeningReach, opening_reach
from ogp_app.services.rounds.progress import ClassProgress, round_progress
from ogp_app.services.rounds.setup import get_round
from ogp_app.services.rounds.views import RoundSummary, list_rounds


@dataclass(frozen=True)
class RoundLine:
    summary: RoundSummary
    progress: list[ClassProgress]
    reach: OpeningReach | None  # None once the round is open


@dataclass(frozen=True)
class SchoolRounds:
    classes: list[tuple[int, str]]  # the active classes by name: (id, name)
    rounds: list[RoundLine]


def school_rounds(db: Session, *, actor: Actor) -> SchoolRounds:
    """``db``: the admin's school session; PermissionDenied for anyone but the school's staff (asked
    first, by ``list_rounds``: nothing else is read for them)."""
    summaries = list_rounds(db, actor=actor)
    classes = db.exec(
        select(SchoolClass).where(col(SchoolClass.archived_at).is_(None)).order_by(col(SchoolClass.name))
    ).all()
    rounds = [
        RoundLine(
            r,
            round_progress(db, rnd=get_round(db, r.round_id)),
            opening_reach(db, round_id=r.round_id) if r.status != "open" else None,
        )
        for r in summaries
    ]
    return SchoolRounds([(c.id, c.name) for c in classes if c.id is not None], rounds)
