"""The gate of every /staff page: OGP staff who passed the second factor, nobody else.

A session that still waits for its second factor is no identity at all (``resolve_session``), and a
staff member without an authenticator raises SecondFactorSetupRequired in ``_require``: both are
refused here, the latter is sent to the set-up. Each page state re-checks in every handler (``STAFF``).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.services.errors import NotAuthenticated, PermissionDenied, SecondFactorSetupRequired
from ogp_app.services.handler_calls import Access
from ogp_app.state.base import TWO_FACTOR_SETUP_PATH, AppState

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The staff pages' work: OGP staff with a second factor; a plain session (no school data). Work across
# schools names its reason: ``Access(staff=True, unscoped="why")``.
STAFF = Access(staff=True)


class StaffGateState(AppState):
    access: str = ""  # "" before loading, "granted" or "denied"

    @rx.event
    def check_access(self) -> EventSpec | None:
        """on_load of every staff page: show the page, "no access", or send to the 2FA set-up."""
        try:
            self._require(staff=True)
        except SecondFactorSetupRequired:
            self.access = "denied"
            return rx.redirect(TWO_FACTOR_SETUP_PATH)
        except (NotAuthenticated, PermissionDenied):
            self.access = "denied"
            return None
        self.access = "granted"
        return None


def display_time(value: datetime | None) -> str:
    """Dutch notation in Dutch time: 25-11-2026 14:05 (empty for None)."""
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if value else ""


def display_day(value: date) -> str:
    return value.strftime("%d-%m")
