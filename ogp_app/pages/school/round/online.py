"""/school/round, the online panel: on site, online or the family's choice for the round, and a
teacher's own mode that evening. Its own state (a panel of the page), loaded beside the page's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, form_stack, section, select_box
from ogp_app.components.text import t
from ogp_app.models.video import CONVERSATION_MODES
from ogp_app.pages.shared.meeting_views import new_key
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.online.setup import RoundModes, round_modes, set_round_mode, set_teacher_mode
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

ROUND_DEFAULT = "round"  # the form's value for "as the round"


@dataclass(frozen=True)
class TeacherModeView:
    key: str
    name: str
    mode: str  # a mode, or ROUND_DEFAULT


class RoundOnlineState(AppState):
    online_access: bool = False  # the school has a video service: the panel shows
    round_mode: str = "on_site"
    teacher_modes: list[TeacherModeView] = []
    online_notice: Notice = NO_NOTICE
    online_form_key: str = "0"
    _online_round: int = 0
    _online_teachers: dict[str, int] = {}

    def _show_modes(self, modes: RoundModes) -> None:
        self.online_access, self.round_mode = modes.video_kind != "", modes.round_mode
        views, ids = [], {}
        for teacher in modes.teachers:
            key = new_key()
            ids[key] = teacher.teacher_id
            views.append(TeacherModeView(key, teacher.name, teacher.mode or ROUND_DEFAULT))
        self.teacher_modes, self._online_teachers = views, ids
        self.online_form_key = str(int(self.online_form_key) + 1)

    def _deny(self) -> None:
        self.reset()

    @rx.event
    async def load_online(self) -> None:
        raw = self.router.url.query_parameters.get("id", "")
        self._online_round = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else 0
        round_id = self._online_round
        with self._handled(deny=self._deny):
            self._show_modes(await self._call(SCHOOL_ADMIN, lambda call: _modes(call, round_id)))
            self.online_notice = NO_NOTICE

    @rx.event
    async def save_modes(self, form_data: Any) -> None:
        """The round's mode and every teacher's (ROUND_DEFAULT: as the round), in one form."""
        with self._handled(notice="online_notice"):  # refused: wipe whatever the page showed, flag nothing
            round_id, teachers = self._online_round, self._online_teachers
            self._show_modes(
                await self._call(SCHOOL_ADMIN, lambda call: _save(call, round_id, form_data, teachers))
            )
            self.online_notice = notice("online.modes_saved")


def _modes(call: Call, round_id: int) -> RoundModes:
    return round_modes(call.db, actor=Actor.from_identity(call.identity), round_id=round_id)


def _save(call: Call, round_id: int, form_data: Any, teachers: dict[str, int]) -> RoundModes:
    """Read the form after the caller is known (a stranger's bad form gets no message), then save."""
    actor = Actor.from_identity(call.identity)
    set_round_mode(call.db, actor=actor, round_id=round_id, mode=required_text(form_data, "round_mode", 20))
    for key, teacher_id in teachers.items():
        value = required_text(form_data, f"teacher_mode_{key}", 20)
        mode = None if value == ROUND_DEFAULT else value
        set_teacher_mode(call.db, actor=actor, round_id=round_id, teacher_id=teacher_id, mode=mode)
    return _modes(call, round_id)


def _mode_options(*, with_round: bool) -> list[rx.Component]:
    options = [rx.el.option(t("online.mode_as_round"), value=ROUND_DEFAULT)] if with_round else []
    return options + [rx.el.option(t(f"online.mode_{mode}"), value=mode) for mode in CONVERSATION_MODES]


def online_panel() -> rx.Component:
    s = RoundOnlineState
    return rx.cond(
        s.online_access,
        section(
            "online.round_title",
            rx.text(t("online.round_help"), size="2", color_scheme="gray"),
            form_stack(
                field(
                    "online.round_mode",
                    "round_mode",
                    select_box("round_mode", *_mode_options(with_round=False), default_value=s.round_mode),
                ),
                rx.foreach(
                    s.teacher_modes,
                    lambda teacher: rx.vstack(
                        rx.el.label(teacher.name, html_for="teacher_mode_" + teacher.key, font_weight="500"),
                        select_box(
                            "teacher_mode_" + teacher.key,
                            *_mode_options(with_round=True),
                            default_value=teacher.mode,
                        ),
                        spacing="1",
                        width="100%",
                    ),
                ),
                submit("online.modes_save"),
                on_submit=s.save_modes,
                key=s.online_form_key,
            ),
            notice_view(s.online_notice),
            id="round-online",
        ),
    )
