"""/teacher/not-booked: per round and class of the teacher's own, the families who have not booked yet
(pupil, guardians, the conversations still to book, the school's last reminder). Read only: reminding
is the school admin's (on the round page)."""

from __future__ import annotations

from dataclasses import replace

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.core.db import school_session
from ogp_app.models import Role
from ogp_app.pages.not_booked_view import ClassRow, class_rows, not_booked_list
from ogp_app.services.errors import NotAuthenticated, PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.progress import families_not_booked
from ogp_app.services.rounds.views import list_rounds
from ogp_app.state.base import AppState

ROUND_SEP = " · "  # between a class and its round: not a word


class TeacherNotBookedState(AppState):
    access: str = ""
    classes: list[ClassRow] = []

    @rx.event
    def load_page(self) -> None:
        try:
            actor = Actor.from_identity(self._require(Role.TEACHER))
            rows: list[ClassRow] = []
            with school_session(actor.school_id) as db:
                for rnd in list_rounds(db, actor=actor):
                    if rnd.status not in ("open", "closed"):
                        continue
                    found, _keys = class_rows(families_not_booked(db, actor=actor, round_id=rnd.round_id))
                    rows += [replace(r, class_name=f"{r.class_name}{ROUND_SEP}{rnd.name}") for r in found]
        except (NotAuthenticated, PermissionDenied):
            self.reset()
            self.access = "denied"
            return
        self.classes, self.access = rows, "granted"


def teacher_not_booked_page() -> rx.Component:
    S = TeacherNotBookedState
    return page_frame(
        rx.vstack(
            rx.heading(t("households.not_booked.title"), as_="h1", size="7"),
            rx.cond(
                S.access == "denied",
                rx.text(t("evening.no_access")),
                rx.vstack(
                    rx.text(t("households.not_booked.teacher_help"), size="2"),
                    rx.cond(
                        S.classes.length() > 0,  # type: ignore[attr-defined]
                        not_booked_list(S.classes),
                        rx.text(t("households.not_booked.nothing")),
                    ),
                    rx.link(t("households.not_booked.back"), href="/teacher/evening"),
                    spacing="3",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
