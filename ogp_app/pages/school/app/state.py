"""The signed-in home: who you are, at which school, in which roles; log out here or everywhere.
A school admin also sees the next steps before parents can book, and the trial days left."""

from __future__ import annotations

from contextlib import suppress

import reflex as rx

from ogp_app.models.base import utcnow
from ogp_app.services.errors import DomainError
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.onboarding.next_steps import NEXT_STEPS, AdminHome, admin_home
from ogp_app.state.base import AppState

# Where each next step is done.
STEP_LINKS = {
    "roster": "/school/roster/import",
    "colleagues": "/school/roster/invitations",
    "round": "/school/rounds",
    "open_round": "/school/rounds",
    "subscribe": "/school/billing",
}


assert set(STEP_LINKS) == set(NEXT_STEPS)


class AdminHomeState(AppState):
    """Filled only for the admin of the session's school; empty for everyone else."""

    next_steps: list[str] = []
    trial_days_left: int = -1  # -1: not in the trial

    @rx.event
    async def load_home(self) -> None:
        self.next_steps, self.trial_days_left = [], -1
        with suppress(DomainError):  # not this school's admin (or refused): no admin section, no reset
            home = await self._call(SCHOOL_ADMIN, _admin_home_of)
            self.next_steps = home.next_steps
            self.trial_days_left = -1 if home.trial_days_left is None else home.trial_days_left


def _admin_home_of(call: Call) -> AdminHome:
    return admin_home(call.db, school_id=call.school_id, admin_user_id=call.identity.user_id, now=utcnow())
