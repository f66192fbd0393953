"""/choose-school: a person with roles at several schools picks one (POST /api/auth/switch-school)."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.services.accounts import memberships_of
from ogp_app.services.errors import NotAuthenticated, SecondFactorSetupRequired
from ogp_app.services.handler_calls import Access, Call
from ogp_app.state.auth_flow import AuthFlowState
from ogp_app.state.base import TWO_FACTOR_SETUP_PATH

MEMBERSHIPS = Access(unscoped="a person's memberships span schools")


@dataclass
class SchoolOption:
    """Display data of one school choice."""

    school_id: str = ""
    name: str = ""
    roles: list[str] = field(default_factory=list)
    current: bool = False


class ChooseSchoolState(AuthFlowState):
    schools: list[SchoolOption] = []

    @rx.event
    async def load(self) -> EventSpec | None:
        self._read_messages()
        self.schools = []
        try:
            self.schools = await self._call(MEMBERSHIPS, _options_of)
        except SecondFactorSetupRequired:
            return rx.redirect(TWO_FACTOR_SETUP_PATH)
        except NotAuthenticated:
            return rx.redirect("/login?error=not_signed_in")
        return None


def _options_of(call: Call) -> list[SchoolOption]:
    """The caller's schools, the session's own marked (blocking: runs in a worker thread)."""
    return [
        SchoolOption(str(c.school_id), c.name, list(c.roles), c.school_id == call.identity.school_id)
        for c in memberships_of(call.db, user_id=call.identity.user_id)
    ]
