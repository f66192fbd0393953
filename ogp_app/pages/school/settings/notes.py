"""/school/settings, the conversation-notes panel: whether families read the teachers' summaries. Its own
state (a panel of the page), loaded beside the page's."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import form_stack, section
from ogp_app.components.text import t
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.outcomes import share_summaries, summaries_shared
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox


class SchoolNotesState(AppState):
    shares_summaries: bool = False
    notes_notice: Notice = NO_NOTICE
    notes_form_key: str = "0"

    def _show_sharing(self, shared: bool) -> None:
        self.shares_summaries = shared
        self.notes_form_key = str(int(self.notes_form_key) + 1)

    @rx.event
    async def load_notes(self) -> None:
        with self._handled(deny=self.reset):
            self._show_sharing(await self._call(SCHOOL_ADMIN, _shared))
            self.notes_notice = NO_NOTICE

    @rx.event
    async def save_notes(self, form_data: Any) -> None:
        with self._handled(notice="notes_notice"):  # refused: wipe whatever the page showed, flag nothing
            self._show_sharing(await self._call(SCHOOL_ADMIN, lambda call: _share(call, form_data)))
            self.notes_notice = notice("outcomes.sharing_saved")


def _shared(call: Call) -> bool:
    return summaries_shared(call.db, school_id=call.school_id)


def _share(call: Call, form_data: Any) -> bool:
    """Read the form after the caller is known (a stranger's bad form gets no message)."""
    share = checkbox(form_data, "share_summaries")
    share_summaries(call.db, actor=Actor.from_identity(call.identity), share=share)
    return _shared(call)


def notes_panel() -> rx.Component:
    s = SchoolNotesState
    return section(
        "outcomes.sharing_title",
        rx.text(t("outcomes.sharing_help"), size="2", color_scheme="gray"),
        form_stack(
            rx.el.label(
                rx.hstack(
                    rx.switch(
                        name="share_summaries",
                        id="share_summaries",
                        default_checked=s.shares_summaries,
                        high_contrast=True,
                    ),
                    rx.text(t("outcomes.sharing_label")),
                    spacing="2",
                    align="center",
                ),
            ),
            submit("outcomes.sharing_save"),
            on_submit=s.save_notes,
            key=s.notes_form_key,
        ),
        notice_view(s.notes_notice),
        id="school-notes",
    )
