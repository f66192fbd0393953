"""/school/round: the schedule panel's handlers (window, room, hours, breaks, slots)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.pages.school.round.base import RoundBase, _known, _teacher
from ogp_app.pages.school.round_fields import bad, parse_local, parse_time, text
from ogp_app.services.handler_calls import Call
from ogp_app.services.rounds import admin as svc
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.errors import RoundInvalid
from ogp_app.services.rounds.setup import add_break, set_availability, set_teacher_room, update_window
from ogp_app.services.rounds.slots import add_slot, make_double, set_blocked
from ogp_app.state.form_input import form_text


class SchedulePanel(RoundBase, mixin=True):
    """Booking window, the teacher's room and hours, breaks, and the slot grid (block, add, double)."""

    @rx.event
    async def save_window(self, form: Any) -> None:
        round_id = self._round_id

        def act(call: Call, actor: Actor) -> None:
            cancel_raw = text(form, "cancel_until", "cancel_until")
            gap = text(form, "gap", "gap_minutes")
            if not gap.isdigit() or len(gap) > 3:
                raise bad("gap_minutes")
            update_window(
                call.db,
                actor=actor,
                round_id=round_id,
                opens_at=parse_local(text(form, "opens", "window"), "window"),
                closes_at=parse_local(text(form, "closes", "window"), "window"),
                cancel_until=parse_local(cancel_raw, "cancel_until") if cancel_raw else None,
                family_gap_minutes=int(gap),
            )

        await self._run("window", act)

    @rx.event
    async def save_room(self, form: Any) -> None:
        round_id, teacher_id = self._round_id, self._teacher_id()

        def act(call: Call, actor: Actor) -> None:
            room = form_text(form, "room", 60)
            if room is None:
                raise RoundInvalid("room", message_key="round.error.room")
            set_teacher_room(
                call.db, actor=actor, round_id=round_id, teacher_id=_teacher(teacher_id), room=room
            )

        await self._run("room", act)

    @rx.event
    async def save_hours(self, form: Any) -> None:
        round_id, teacher_id, day_id = self._round_id, self._teacher_id(), self._form_id(form, "day", "day")

        def act(call: Call, actor: Actor) -> None:
            known_day = _known(day_id, "day")
            mode = text(form, "mode", "day_times")
            if mode not in ("available", "absent", "custom"):
                raise bad("day_times")
            start = end = None
            if mode == "custom":
                start = parse_time(text(form, "from", "day_times"), "day_times")
                end = parse_time(text(form, "to", "day_times"), "day_times")
            set_availability(
                call.db,
                actor=actor,
                round_id=round_id,
                teacher_id=_teacher(teacher_id),
                day_id=known_day,
                absent=mode == "absent",
                starts_at=start,
                ends_at=end,
            )

        await self._run("hours", act)

    @rx.event
    async def add_break(self, form: Any) -> None:
        round_id, teacher_id, day_id = self._round_id, self._teacher_id(), self._form_id(form, "day", "day")

        def act(call: Call, actor: Actor) -> None:
            start = parse_time(text(form, "from", "break_times"), "break_times")
            end = parse_time(text(form, "to", "break_times"), "break_times")
            if start >= end:
                raise bad("break_times")  # the service refuses it too, but names no field
            add_break(
                call.db,
                actor=actor,
                round_id=round_id,
                teacher_id=_teacher(teacher_id),
                day_id=_known(day_id, "day"),
                starts_at=start,
                ends_at=end,
            )

        await self._run("breaks", act)

    @rx.event
    async def remove_break(self, key: Any) -> None:
        round_id, break_id = self._round_id, self._maybe_id(key, "break")
        await self._run(
            "breaks",
            lambda call, actor: svc.remove_break(
                call.db, actor=actor, round_id=round_id, break_id=_known(break_id, "break")
            ),
        )

    @rx.event
    async def add_slot(self, form: Any) -> None:
        round_id, teacher_id, day_id = self._round_id, self._teacher_id(), self._form_id(form, "day", "day")

        def act(call: Call, actor: Actor) -> None:
            add_slot(
                call.db,
                actor=actor,
                round_id=round_id,
                teacher_id=_teacher(teacher_id),
                day_id=_known(day_id, "day"),
                starts_at=parse_time(text(form, "at", "slot_time"), "slot_time"),
            )

        await self._run("slots", act)

    @rx.event
    async def block(self, key: Any) -> None:
        await self._set_blocked(key, True)

    @rx.event
    async def unblock(self, key: Any) -> None:
        await self._set_blocked(key, False)

    async def _set_blocked(self, key: Any, blocked: bool) -> None:
        slot_id = self._maybe_id(key, "slot")
        await self._run(
            "slots",
            lambda call, actor: set_blocked(
                call.db, actor=actor, slot_id=_known(slot_id, "slot"), blocked=blocked
            ),
        )

    @rx.event
    async def double(self, key: Any) -> None:
        slot_id = self._maybe_id(key, "slot")
        await self._run(
            "slots", lambda call, actor: make_double(call.db, actor=actor, slot_id=_known(slot_id, "slot"))
        )
