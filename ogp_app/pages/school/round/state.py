"""/school/round?id=N: one round for the school admin: booking window, per teacher room, hours and
breaks, the slot grid (block, add, double), booking/moving/cancelling on a family's behalf, progress.

The round id in the URL is only a request: the services look it up within the admin's own school, so
another school's id is "not found". Every other id the browser sends is an opaque key of this page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.pages.school.round.base import _nothing, _view
from ogp_app.pages.school.round.bookings import BookingPanel
from ogp_app.pages.school.round.schedule import SchedulePanel
from ogp_app.services.handler_calls import SCHOOL_ADMIN
from ogp_app.state.base import AppState


class SchoolRoundState(SchedulePanel, BookingPanel, AppState):
    """The page state: its vars and helpers come from RoundBase, its panels' handlers from the mixins."""

    @rx.event
    async def load_page(self) -> None:
        self.notices = {}
        raw = self.router.url.query_parameters.get("id", "")
        self._round_id = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else 0
        self._chosen_slot = self._moving_booking = 0
        self.moving = ""
        round_id = self._round_id
        with self._guarded(refused="denied"):
            self._show_round(await self._call(SCHOOL_ADMIN, lambda call: _view(call, round_id)))

    @rx.event
    async def pick_teacher(self, key: Any) -> None:
        if not isinstance(key, str) or key not in self._teacher_ids:
            return
        self.teacher_key = key
        self._chosen_slot = self._moving_booking = 0
        self.moving = ""
        await self._run("slots", _nothing, ok_key=None)
