"""/school/round: the bookings panel's handlers (on a family's behalf) and the reminders."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.notice import Notice, notice
from ogp_app.pages.school.round.base import RoundBase, _known, _nothing
from ogp_app.pages.shared.keys import KEY_MAX
from ogp_app.pages.shared.meeting_views import Both
from ogp_app.services.handler_calls import Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book, cancel, rebook
from ogp_app.services.rounds.errors import RoundInvalid
from ogp_app.services.rounds.reminders import remind_unbooked
from ogp_app.state.form_input import form_text


class BookingPanel(RoundBase, mixin=True):
    """Book, move and cancel on a family's behalf; remind the families that have not booked."""

    @rx.event
    async def choose_slot(self, key: Any) -> None:
        """A free time: the target of the booking form, or, while moving, where the booking goes."""
        slot_id = self._maybe_id(key, "slot")
        if not slot_id:
            self.reset()
            return
        if self._moving_booking:
            booking_id, self._moving_booking, self.moving = self._moving_booking, 0, ""
            await self._run(
                "booking",
                lambda call, actor: rebook(call.db, actor=actor, booking_id=booking_id, slot_id=slot_id),
                ok_key="round.moved",
            )
            return
        self._chosen_slot = slot_id
        cell = next((c for d in self.days for c in d.slots if c.key == key), None)
        day = next((d for d in self.days if any(c.key == key for c in d.slots)), None)
        if cell and day:
            self.chosen_label = Both(f"{day.label.nl} {cell.time}", f"{day.label.en} {cell.time}")
        await self._run("booking", _nothing, ok_key=None)

    @rx.event
    async def book_for_family(self, form: Any) -> None:
        slot_id, pupil_keys = self._chosen_slot, self._pupil_keys

        def act(call: Call, actor: Actor) -> None:
            pupil_key = form_text(form, "pupil", KEY_MAX)
            if not slot_id:
                raise RoundInvalid("slot", message_key="round.error.choose_slot")
            if pupil_key is None or pupil_key not in pupil_keys:
                raise RoundInvalid("pupil", message_key="round.error.choose_pupil")
            pupil_id, household_id = pupil_keys[pupil_key]
            book(call.db, actor=actor, slot_id=slot_id, pupil_id=pupil_id, household_id=household_id)

        await self._run("booking", act, ok_key="round.booked")  # the time booked is no longer chosen

    @rx.event
    def start_move(self, key: Any) -> None:
        booking_id = self._maybe_id(key, "booking")
        if not booking_id:
            self.reset()
            return
        self._moving_booking, self._chosen_slot = booking_id, 0
        self.moving = next((c.pupil for d in self.days for c in d.slots if c.key == key), "")
        self.chosen_label = Both()
        self.notices = {"booking": notice("round.pick_new_time")}

    @rx.event
    def stop_move(self) -> None:
        self._moving_booking, self.moving = 0, ""
        self.notices = {}

    @rx.event
    async def cancel_booking(self, key: Any) -> None:
        booking_id = self._maybe_id(key, "booking")
        await self._run(
            "booking",
            lambda call, actor: cancel(call.db, actor=actor, booking_id=_known(booking_id, "booking")),
            ok_key="round.cancelled",
        )

    @rx.event
    async def remind(self) -> None:
        round_id = self._round_id

        def act(call: Call, actor: Actor) -> Notice:
            count = remind_unbooked(call.db, actor=actor, round_id=round_id)
            return notice("rounds.reminded", count=count)

        await self._run("progress", act)

    @rx.event
    async def remind_class(self, key: Any) -> None:
        """Mail exactly the families of one class who have not booked (recorded: "last reminder")."""
        round_id = self._round_id
        class_id = self._class_keys.get(key, 0) if isinstance(key, str) else 0

        def act(call: Call, actor: Actor) -> Notice:
            count = remind_unbooked(
                call.db, actor=actor, round_id=round_id, class_id=_known(class_id, "class")
            )
            return notice("rounds.reminded", count=count)

        await self._run("progress", act)


# The blocking work of the handlers (in a worker thread, for the admin of the session's school). A
# change and the page's data share one session; the ids the page looked up are refused here when unknown.
