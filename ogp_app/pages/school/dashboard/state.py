"""/school/dashboard: one round's figures for the school's admin (services.rounds.dashboard), as plain
rows the charts and their tables read. Round ids stay on the server behind page keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.pages.shared.gated import GatedPageState
from ogp_app.pages.shared.meeting_views import new_key
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.dashboard import Dashboard, school_dashboard
from ogp_app.services.rounds.outcomes import UnseenFamily
from ogp_app.state.base import AppState


@dataclass(frozen=True)
class RoundOption:
    key: str
    name: str


class SchoolDashboardState(GatedPageState, AppState):
    round_name: str = ""
    round_options: list[RoundOption] = []
    chosen: str = ""
    # chart rows: plain dicts, as the charts read them
    bookings: list[dict[str, Any]] = []  # day, bookings
    booked: list[dict[str, Any]] = []  # class, percent, booked, pupils
    attendance: list[dict[str, Any]] = []  # class, held, no_show, moved, unmarked
    unseen: list[dict[str, Any]] = []  # class, families, names
    _round_ids: dict[str, int] = {}

    def _show_dashboard(self, board: Dashboard) -> None:
        self.access, self.round_name = "granted", board.round_name
        keys = {round_id: new_key() for round_id, _name in board.rounds}
        self._round_ids = {key: round_id for round_id, key in keys.items()}
        self.round_options = [RoundOption(keys[round_id], name) for round_id, name in board.rounds]
        self.chosen = keys.get(board.round_id, "")
        self.bookings = [
            {"day": f"{d.day.day}-{d.day.month}", "bookings": d.bookings} for d in board.bookings_by_day
        ]
        self.booked = [
            {
                "class": c.class_name,
                "percent": round(100 * c.booked / c.pupils),
                "booked": c.booked,
                "pupils": c.pupils,
            }
            for c in board.booked_per_class
        ]
        self.attendance = [
            {
                "class": a.class_name,
                "held": a.held,
                "no_show": a.no_show,
                "moved": a.moved,
                "unmarked": a.unmarked,
            }
            for a in board.attendance
        ]
        self.unseen = [
            {
                "class": c.class_name,
                "families": len(c.families),
                "names": ", ".join(map(_family, c.families)),
            }
            for c in board.unseen
        ]

    @rx.event
    async def load_dashboard(self) -> None:
        with self._handled(deny=self._deny):
            self._show_dashboard(await self._call(SCHOOL_ADMIN, lambda call: _board(call, None)))

    @rx.event
    async def choose_round(self, key: Any) -> None:
        with self._handled():  # refused: wipe whatever the page showed, flag nothing
            round_id = self._round_ids.get(key) if isinstance(key, str) else None
            if round_id is None:
                raise PermissionDenied("unknown round")
            self._show_dashboard(await self._call(SCHOOL_ADMIN, lambda call: _board(call, round_id)))


def _family(family: UnseenFamily) -> str:
    """A pupil, and for one of two households the household's parents (the pupil is listed twice)."""
    if family.household_key == JOINT_HOUSEHOLD_KEY or not family.guardians:
        return family.pupil
    return f"{family.pupil} ({' & '.join(family.guardians)})"


def _board(call: Call, round_id: int | None) -> Dashboard:
    return school_dashboard(call.db, actor=Actor.from_identity(call.identity), round_id=round_id)
