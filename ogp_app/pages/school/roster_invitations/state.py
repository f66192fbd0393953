"""/school/roster/invitations: the school's admin invites imported guardians and teachers, sees who
accepted, and resends. Rows are addressed by random keys; the ids stay on the server."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.i18n import normalise_language
from ogp_app.pages.shared.gated import GatedPageState
from ogp_app.pages.shared.keys import known
from ogp_app.pages.shared.meeting_views import new_key
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call, caller_only
from ogp_app.services.roster_admin import roster_accounts
from ogp_app.state.base import AppState

MAX_SHOWN = 300


_ORDER = {"not_invited": 0, "expired": 1, "pending": 2, "accepted": 3}


@dataclass(frozen=True)
class PersonView:
    key: str
    kind: str
    name: str
    email: str
    status: str


class RosterInvitationsState(GatedPageState, AppState):
    people: list[PersonView] = []
    shown_of: int = 0
    not_invited: int = 0
    pending: int = 0
    accepted: int = 0
    sending: bool = False
    progress: int = 0
    notice: Notice = NO_NOTICE
    _keys: dict[str, tuple[str, int]] = {}

    def _load(self, rows: list[roster_accounts.PersonStatus]) -> None:
        rows.sort(key=lambda p: (_ORDER.get(p.status, 9), p.name.casefold()))
        keys: dict[str, tuple[str, int]] = {}
        views = []
        for person in rows[:MAX_SHOWN]:
            key = new_key()
            keys[key] = (person.kind, person.person_id)
            views.append(PersonView(key, person.kind, person.name, person.email, person.status))
        self.people, self._keys, self.shown_of = views, keys, len(rows)
        self.not_invited = sum(p.status == "not_invited" for p in rows)
        self.pending = sum(p.status in ("pending", "expired") for p in rows)
        self.accepted = sum(p.status == "accepted" for p in rows)
        self.access = "granted"

    @rx.event
    async def load_page(self) -> None:
        """on_load: the list for the school's admin; "no access" and no data for anyone else."""
        with self._handled(deny=self._deny):
            rows = await self._call(SCHOOL_ADMIN, _people)
            self.notice = NO_NOTICE
            self._load(rows)

    @rx.event
    async def resend(self, key: Any) -> None:
        """Invite the person behind ``key`` (a key of this page's list), or mail them a fresh link."""
        person = known(self._keys, key)
        language = normalise_language(self.lang)
        with self._handled(notice="notice"):  # refused: wipe whatever the page showed
            self._load(await self._call(SCHOOL_ADMIN, lambda call: _resend(call, person, language)))
            self.notice = notice("roster.invite.sent_one")

    @rx.event(background=True)
    async def invite_all(self) -> None:
        """Invite everyone on the roster without an invitation; the bar shows how far it got.

        Two calls: the check under the state's lock (before the page shows the bar), the sending
        outside it (the progress updates need the lock meanwhile)."""
        start = False
        async with self:
            with self._handled():
                await self._call(SCHOOL_ADMIN, caller_only)
                start = not self.sending
            if not start:
                return
            self.sending, self.progress, self.notice = True, 0, NO_NOTICE
            language = normalise_language(self.lang)
        done = [0, 1]
        lock = threading.Lock()

        def report(count: int, total: int) -> None:
            with lock:
                done[0], done[1] = count, max(total, 1)

        def work(call: Call) -> tuple[int, list[roster_accounts.PersonStatus]]:
            sent = roster_accounts.invite_all_new(
                call.db,
                school_id=call.school_id,
                admin_user_id=call.identity.user_id,
                language=language,
                progress=report,
            )
            return sent, _people(call)

        task = asyncio.ensure_future(self._call(SCHOOL_ADMIN, work))
        while not task.done():
            await asyncio.sleep(0.25)
            async with self:
                self.progress = done[0] * 100 // done[1]
        async with self:
            self.sending = False
            with self._handled(notice="notice"):
                sent, rows = task.result()
                self.progress = 100
                self._load(rows)
                self.notice = notice("roster.invite.sent_all", count=sent)


def _people(call: Call) -> list[roster_accounts.PersonStatus]:
    return roster_accounts.people(call.db, school_id=call.school_id, admin_user_id=call.identity.user_id)


def _resend(call: Call, person: tuple[str, int] | None, language: str) -> list[roster_accounts.PersonStatus]:
    if person is None:
        raise InvalidInput("unknown person")
    kind, person_id = person
    roster_accounts.invite_person(
        call.db,
        school_id=call.school_id,
        admin_user_id=call.identity.user_id,
        kind=kind,
        person_id=person_id,
        language=language,
    )
    return _people(call)
