"""/teacher/not-booked: per round and class of the teacher's own, the families who have not booked yet
(pupil, guardians, the conversations still to book, the school's last reminder). Read only: reminding
is the school admin's (on the round page)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import reflex as rx

from ogp_app.pages.school.not_booked import ClassRow, class_rows
from ogp_app.pages.shared.gated import GatedPageState
from ogp_app.services.handler_calls import TEACHER, Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.outcomes import families_not_seen
from ogp_app.services.rounds.teacher_views import not_booked_per_round
from ogp_app.state.base import AppState

ROUND_SEP = " · "  # between a class and its round: not a word


@dataclass(frozen=True)
class UnseenRow:
    class_name: str
    family: str  # the pupil, and the guardians
    invite_href: str  # /teacher/evening with the invite form set to this pupil (a request; checked there)


class TeacherNotBookedState(GatedPageState, AppState):
    classes: list[ClassRow] = []
    unseen: list[UnseenRow] = []  # the teacher's classes: families not seen this school year

    @rx.event
    async def load_page(self) -> None:
        with self._handled(deny=self._deny):
            self.classes, self.unseen = await self._call(TEACHER, _page)
            self.access = "granted"


def _page(call: Call) -> tuple[list[ClassRow], list[UnseenRow]]:
    return _classes(call), _unseen(call)


def _unseen(call: Call) -> list[UnseenRow]:
    return [
        UnseenRow(
            c.class_name,
            f"{f.pupil} ({', '.join(f.guardians)})" if f.guardians else f.pupil,
            f"/teacher/evening?pupil={f.pupil_id}&household={f.household_key or ''}#invite",
        )
        for c in families_not_seen(call.db, actor=Actor.from_identity(call.identity))
        for f in c.families
    ]


def _classes(call: Call) -> list[ClassRow]:
    rows: list[ClassRow] = []
    for round_name, groups in not_booked_per_round(call.db, actor=Actor.from_identity(call.identity)):
        found, _keys = class_rows(groups)
        rows += [replace(r, class_name=f"{r.class_name}{ROUND_SEP}{round_name}") for r in found]
    return rows
