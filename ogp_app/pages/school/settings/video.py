"""/school/settings, the online-conversations panel: how the school's video links are made. Its own
state (a panel of the page), loaded beside the page's."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, form_stack, section, select_box, text_input
from ogp_app.components.text import t
from ogp_app.models.video import JITSI, TEACHER_LINK
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.online.setup import VideoSettings, configure_video, video_settings
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

URL_MAX = 600


class SchoolVideoState(AppState):
    video_kind: str = ""  # "", "jitsi" or "teacher_link"
    jitsi_base_url: str = ""
    video_notice: Notice = NO_NOTICE
    video_form_key: str = "0"  # a new key re-renders the form with the stored values

    def _show_video(self, settings: VideoSettings) -> None:
        self.video_kind, self.jitsi_base_url = settings.kind, settings.jitsi_base_url
        self.video_form_key = str(int(self.video_form_key) + 1)

    def _deny(self) -> None:
        self.reset()

    @rx.event
    async def load_video(self) -> None:
        with self._handled(deny=self._deny):
            self._show_video(await self._call(SCHOOL_ADMIN, lambda call: video_settings(call.db)))
            self.video_notice = NO_NOTICE

    @rx.event
    async def save_video(self, form_data: Any) -> None:
        """Store how links are made; an empty kind turns online conversations off."""
        with self._handled(notice="video_notice"):  # refused: wipe whatever the page showed, flag nothing
            self._show_video(await self._call(SCHOOL_ADMIN, lambda call: _configure(call, form_data)))
            self.video_notice = notice("online.settings_saved")


def _configure(call: Call, form_data: Any) -> VideoSettings:
    """Read the form after the caller is known (a stranger's bad form gets no message)."""
    kind = required_text(form_data, "video_kind", 20)
    base = required_text(form_data, "jitsi_base_url", URL_MAX) if kind == JITSI else ""
    return configure_video(call.db, actor=Actor.from_identity(call.identity), kind=kind, jitsi_base_url=base)


def video_panel() -> rx.Component:
    s = SchoolVideoState
    return section(
        "online.settings_title",
        rx.text(t("online.settings_help"), size="2", color_scheme="gray"),
        form_stack(
            field(
                "online.settings_kind",
                "video_kind",
                select_box(
                    "video_kind",
                    rx.el.option(t("online.kind_none"), value=""),
                    rx.el.option(t("online.kind_jitsi"), value=JITSI),
                    rx.el.option(t("online.kind_teacher_link"), value=TEACHER_LINK),
                    default_value=s.video_kind,
                ),
            ),
            field(
                "online.settings_jitsi",
                "jitsi_base_url",
                text_input(
                    "jitsi_base_url",
                    help_id=True,
                    type="url",
                    default_value=s.jitsi_base_url,
                    placeholder="https://meet.school.nl/",
                ),
                help_key="online.settings_jitsi_help",
            ),
            submit("online.settings_save"),
            on_submit=s.save_video,
            key=s.video_form_key,
        ),
        notice_view(s.video_notice),
        id="school-video",
    )
