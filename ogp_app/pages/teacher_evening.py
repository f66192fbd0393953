"""/teacher/evening: a teacher's conversations as a timeline (pupil, guardians, note, room); mark a time
unavailable. Printing the page gives the door list (print styles hide the navigation)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice_view
from ogp_app.components.text import t
from ogp_app.db import school_session
from ogp_app.models import Role
from ogp_app.pages.book_views import EveningRowView, new_key, time_range, when
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.people import teacher_id_of
from ogp_app.services.rounds.slots import set_blocked
from ogp_app.services.rounds.views import list_rounds, teacher_evening
from ogp_app.state.base import AppState

KEY_MAX = 32


class TeacherEveningState(AppState):
    access: str = ""
    round_name: str = ""
    teacher_name: str = ""
    room: str = ""
    rows: list[EveningRowView] = []
    notice: Notice = NO_NOTICE
    _slot_ids: dict[str, int] = {}

    def _actor(self) -> Actor:
        return Actor.from_identity(self._require(Role.TEACHER))

    def _load(self, actor: Actor) -> None:
        with school_session(actor.school_id) as db:
            if teacher_id_of(db, actor) is None:
                raise PermissionDenied("no roster teacher for this account")
            evening = None
            for rnd in list_rounds(db, actor=actor):
                try:
                    evening = teacher_evening(db, actor=actor, round_id=rnd.round_id)
                    break
                except DomainError:
                    continue
        rows: list[EveningRowView] = []
        ids: dict[str, int] = {}
        if evening is not None:
            for _day, day_rows in evening.days:
                for r in day_rows:
                    key = new_key()
                    ids[key] = r.slot_id
                    rows.append(
                        EveningRowView(
                            key,
                            when(r.starts_at, "EEEE d MMMM"),
                            time_range(r.starts_at, r.ends_at),
                            r.status,
                            r.pupil,
                            r.class_name,
                            r.guardians,
                            r.note,
                        )
                    )
        self.access = "granted"
        self.round_name = evening.round_name if evening else ""
        self.teacher_name = evening.teacher_name if evening else ""
        self.room = evening.room if evening else ""
        self.rows, self._slot_ids = rows, ids

    @rx.event
    def load_page(self) -> None:
        try:
            self._load(self._actor())
        except (NotAuthenticated, PermissionDenied):
            self.reset()
            self.access = "denied"
            return
        self.notice = NO_NOTICE

    @rx.event
    def toggle(self, key: Any) -> None:
        """Mark a free time unavailable, or a blocked one free again (own slots only)."""
        try:
            actor = self._actor()
            if not isinstance(key, str) or len(key) > KEY_MAX or key not in self._slot_ids:
                raise PermissionDenied("unknown time")
            row = next(r for r in self.rows if r.key == key)
            with school_session(actor.school_id) as db:
                set_blocked(db, actor=actor, slot_id=self._slot_ids[key], blocked=row.status == "free")
            self._load(actor)
            self.notice = NO_NOTICE
        except (NotAuthenticated, PermissionDenied):
            self.reset()  # refused action: wipe whatever the page showed, flag nothing
        except DomainError as error:
            self.notice = error_notice(error)


def _both(value: Any) -> rx.Var:
    return rx.cond(AppState.lang == "en", value.en, value.nl)


def _row(r: Any, i: Any) -> rx.Component:
    return rx.fragment(
        rx.cond(
            (i == 0) | (TeacherEveningState.rows[i - 1].day.nl != r.day.nl),
            rx.el.tr(
                rx.el.th(_both(r.day), col_span=4, scope="colgroup", text_align="left", padding_top="1rem")
            ),
        ),
        rx.el.tr(
            rx.el.td(rx.text(r.time, weight="bold"), padding="0.4rem", white_space="nowrap"),
            rx.el.td(
                rx.match(
                    r.status,
                    (
                        "booked",
                        rx.vstack(
                            rx.text(r.pupil, ", ", r.class_name, weight="medium"),
                            rx.text(r.guardians, size="2"),
                            rx.cond(r.note != "", rx.text(t("evening.note"), " ", r.note, size="2")),
                            spacing="0",
                        ),
                    ),
                    ("blocked", rx.text(t("evening.blocked"), color_scheme="gray")),
                    rx.text(t("evening.free"), color_scheme="gray"),
                ),
                padding="0.4rem",
            ),
            rx.el.td(
                rx.cond(
                    r.status != "booked",
                    rx.button(
                        rx.cond(r.status == "free", t("evening.block"), t("evening.unblock")),
                        on_click=TeacherEveningState.toggle(r.key),  # type: ignore[operator]
                        variant="outline",
                        size="2",
                        high_contrast=True,
                        class_name="no-print",
                    ),
                ),
                padding="0.4rem",
            ),
            border_top="1px solid var(--gray-a5)",
        ),
    )


def teacher_evening_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading(t("evening.title"), as_="h1", size="7"),
            rx.cond(
                TeacherEveningState.access == "denied",
                rx.text(t("evening.no_access")),
                rx.cond(
                    TeacherEveningState.round_name != "",
                    rx.vstack(
                        rx.text(
                            TeacherEveningState.round_name,
                            ", ",
                            TeacherEveningState.teacher_name,
                            ", ",
                            TeacherEveningState.room,
                            weight="medium",
                        ),
                        rx.text(
                            t("evening.print_hint"), size="2", color_scheme="gray", class_name="no-print"
                        ),
                        notice_view(TeacherEveningState.notice),
                        rx.box(
                            rx.el.table(
                                rx.el.tbody(rx.foreach(TeacherEveningState.rows, _row)),
                                width="100%",
                                border_collapse="collapse",
                            ),
                            overflow_x="auto",
                            width="100%",
                            id="door-list",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    rx.text(t("evening.nothing")),
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
