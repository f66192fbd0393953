"""/school/rounds: the school admin sets up conversation rounds, opens them, follows progress per class
and reminds families who have not booked yet."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.i18n import translate
from ogp_app.models.base import utcnow
from ogp_app.pages.school.rounds.form import read_round_form
from ogp_app.pages.shared.gated import GatedPageState
from ogp_app.pages.shared.keys import known
from ogp_app.pages.shared.meeting_views import Both, new_key, when
from ogp_app.pages.shared.round_downloads import round_export_base
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.opening import OpeningReach
from ogp_app.services.rounds.reminders import remind_unbooked
from ogp_app.services.rounds.school_rounds import SchoolRounds, school_rounds
from ogp_app.services.rounds.setup import create_round, set_status
from ogp_app.state.base import AppState


@dataclass(frozen=True)
class ClassOption:
    key: str
    name: str


@dataclass(frozen=True)
class RoundRow:
    key: str
    name: str
    status: str
    opens: Both
    closes: Both
    progress: str  # "Groep 5: 3/20 · Groep 7: 0/18"
    export_base: str = ""  # "/api/rounds/<id>": the download routes check the admin themselves
    detail_href: str = ""  # /school/round?id=N: the round's own page (settings, slots, booking)
    # what opening does (no mail) and whom it reaches, for the dialog
    open_note: Both = dataclasses.field(default_factory=Both)


class SchoolRoundsState(GatedPageState, AppState):
    classes: list[ClassOption] = []
    rounds: list[RoundRow] = []
    form_notice: Notice = NO_NOTICE
    list_notice: Notice = NO_NOTICE
    form_key: int = 0  # a new key empties the create form (after a round was created, not after an error)
    _class_ids: dict[str, int] = {}
    _round_ids: dict[str, int] = {}

    def _load(self, page: SchoolRounds) -> None:
        rows, ids = [], {}
        for line in page.rounds:
            r, key = line.summary, new_key()
            ids[key] = r.round_id
            summary = " · ".join(f"{p.class_name}: {p.booked}/{p.pupils}" for p in line.progress)
            rows.append(
                RoundRow(
                    key, r.name, r.status, when(r.opens_at), when(r.closes_at), summary,
                    export_base=round_export_base(r.round_id),
                    detail_href=f"/school/round?id={r.round_id}",
                    open_note=_open_note(line.reach, r.opens_at) if line.reach is not None else Both(),
                )
            )  # fmt: skip
        self._class_ids = {new_key(): class_id for class_id, _name in page.classes}
        names = dict(page.classes)
        self.classes = [ClassOption(k, names[v]) for k, v in self._class_ids.items()]
        self.rounds, self._round_ids = rows, ids
        self.access = "granted"

    @rx.event
    async def load_page(self) -> None:
        with self._handled(deny=self._deny):
            self._load(await self._call(SCHOOL_ADMIN, _page))
            self.form_notice = self.list_notice = NO_NOTICE

    @rx.event
    async def create(self, form_data: dict[str, Any]) -> None:
        class_ids = self._class_ids
        with self._handled(notice="form_notice"):  # refused action: wipe whatever the page showed
            self._load(await self._call(SCHOOL_ADMIN, lambda call: _create(call, form_data, class_ids)))
            self.form_key += 1
            self.form_notice = notice("rounds.created")

    async def _round_action(self, key: Any, action: str) -> None:
        with self._handled(notice="list_notice"):  # refused action: wipe whatever the page showed
            round_id = known(self._round_ids, key)
            if round_id is None:
                raise PermissionDenied("unknown round")
            done, page = await self._call(SCHOOL_ADMIN, lambda call: _round_action(call, round_id, action))
            self.list_notice = done
            self._load(page)

    @rx.event
    async def open_round(self, key: Any) -> None:
        await self._round_action(key, "open")

    @rx.event
    async def close_round(self, key: Any) -> None:
        await self._round_action(key, "closed")

    @rx.event
    async def remind(self, key: Any) -> None:
        await self._round_action(key, "remind")


def _page(call: Call) -> SchoolRounds:
    return school_rounds(call.db, actor=Actor.from_identity(call.identity))


def _create(call: Call, form_data: Any, class_ids: dict[str, int]) -> SchoolRounds:
    data = read_round_form(form_data, class_ids)
    create_round(call.db, actor=Actor.from_identity(call.identity), data=data)
    return _page(call)


def _round_action(call: Call, round_id: int, action: str) -> tuple[Notice, SchoolRounds]:
    """Remind the round's families who have not booked, or set its status; then the page again."""
    actor = Actor.from_identity(call.identity)
    if action == "remind":
        count = remind_unbooked(call.db, actor=actor, round_id=round_id)
        done = notice("rounds.reminded", count=count)
    else:
        set_status(call.db, actor=actor, round_id=round_id, status=action)
        done = notice("rounds.status_saved")
    return done, _page(call)


def _open_note(reach: OpeningReach, opens_at: datetime | None) -> Both:
    opens = when(opens_at)

    # a window that opened already lets parents book as soon as the round is open
    key = "confirm.round_open.body" if opens_at and opens_at > utcnow() else "confirm.round_open.body_now"

    def text(language: str) -> str:
        values = {"pupils": reach.pupils, "addresses": reach.addresses, "opens": getattr(opens, language)}
        return translate(key, language, **values)

    return Both(text("nl"), text("en"))
