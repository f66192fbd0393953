"""/school/access-log: the school admin reads which OGP staff opened the school's data, when, why, what.

The school comes from the server-side session and the log is read through that school's scope;
everyone else (teachers, parents, admins of other schools) sees "no access" and receives no rows.
"""

from __future__ import annotations

import reflex as rx

from ogp_app.pages.shared.access_lines import AccessLine, access_lines
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.staff import backoffice
from ogp_app.state.base import AppState


class SchoolAccessLogState(AppState):
    access: str = ""  # "" before loading, "granted" or "denied"
    entries: list[AccessLine] = []

    def _deny(self) -> None:  # not signed in, not this school's admin, second factor missing
        self.access, self.entries = "denied", []

    @rx.event
    async def load_log(self) -> None:
        """on_load: the log of the session's school for its admin; nothing for anyone else."""
        with self._handled(deny=self._deny):
            rows = await self._call(SCHOOL_ADMIN, _access_log)
            self.access, self.entries = "granted", access_lines(rows)


def _access_log(call: Call) -> list[backoffice.AccessEntry]:
    return backoffice.access_log(call.db, school_id=call.school_id, limit=500)
