"""/school/round: what the page's panels share: the display types, the vars, reading forms and keys,
and the work handed to the boundary. The panels (schedule.py, bookings.py) and the page state (state.py)
build on it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from ogp_app.components.notice import Notice, error_notice, notice
from ogp_app.pages.school.not_booked import ClassRow, class_rows
from ogp_app.pages.shared.keys import KEY_MAX, known
from ogp_app.pages.shared.meeting_views import Both, new_key
from ogp_app.services.errors import DomainError, PermissionDenied
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds import admin as svc
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.clock import format_when, hhmm, local_instant, to_local
from ogp_app.services.rounds.errors import RoundNotFound
from ogp_app.state.base import AppState
from ogp_app.state.form_input import form_text


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class SlotCell:
    key: str
    time: str
    status: str  # free, blocked, booked
    pupil: str = ""
    can_double: bool = False
    chosen: bool = False  # the free time the booking form (or a move) is about


@dataclass(frozen=True)
class BreakCell:
    key: str
    label: str


@dataclass(frozen=True)
class DayView:
    key: str
    label: Both
    hours: str  # the evening's times, "18:00-21:00"
    mode: str  # available, absent, custom
    own_start: str
    own_end: str
    breaks: list[BreakCell]
    slots: list[SlotCell]


@dataclass(frozen=True)
class ProgressRow:
    class_name: str
    booked: int
    pupils: int
    missing: int


def _day_label(day: date, language: str) -> str:
    return format_when(local_instant(day, time(12, 0)), language, "EEEE d MMMM")


def _local_input(instant: datetime | None) -> str:
    return to_local(instant).strftime("%Y-%m-%dT%H:%M") if instant else ""


class RoundBase(AppState, mixin=True):
    """The vars and helpers of SchoolRoundState; a mixin, so they live on the page state itself."""

    access: str = ""  # "", granted, denied, missing
    round_name: str = ""
    round_status: str = ""
    opens: str = ""
    closes: str = ""
    cancel_until: str = ""
    gap: str = "0"
    teachers: list[Option] = []
    teacher_key: str = ""
    teacher_name: str = ""
    room: str = ""
    days: list[DayView] = []
    pupils: list[Option] = []
    chosen_label: Both = Both()
    moving: str = ""  # the pupil whose booking is being moved
    progress: list[ProgressRow] = []
    not_booked: list[ClassRow] = []  # per class: the families still to book
    notices: dict[str, Notice] = {}
    _round_id: int = 0
    _teacher_ids: dict[str, int] = {}
    _keys: dict[str, tuple[str, int]] = {}  # key -> (kind, id): day, break, slot, booking
    _pupil_keys: dict[str, tuple[int, int | None]] = {}
    _chosen_slot: int = 0
    _moving_booking: int = 0
    _class_keys: dict[str, int] = {}

    def _maybe_id(self, key: Any, kind: str) -> int:
        """The id behind a key of this kind, or 0 (the work refuses 0 as a forged request: ``_known``)."""
        found = known(self._keys, key)
        return found[1] if found is not None and found[0] == kind else 0

    def _form_id(self, form: Any, name: str, kind: str) -> int:
        return self._maybe_id(form_text(form, name, KEY_MAX), kind)

    def _teacher_id(self) -> int:
        """The chosen teacher, or 0 (refused by the work: ``_teacher``)."""
        return self._teacher_ids.get(self.teacher_key, 0)

    def _show_round(self, view: svc.RoundAdmin) -> None:
        self.round_name, self.round_status = view.name, view.status
        self.opens, self.closes = _local_input(view.opens_at), _local_input(view.closes_at)
        self.cancel_until, self.gap = _local_input(view.cancel_until), str(view.family_gap_minutes)
        old = {v: k for k, v in self._teacher_ids.items()}
        self._teacher_ids = {old.get(t.teacher_id) or new_key(): t.teacher_id for t in view.teachers}
        names = {t.teacher_id: t.name for t in view.teachers}
        self.teachers = [Option(k, names[v]) for k, v in self._teacher_ids.items()]
        if self.teacher_key not in self._teacher_ids:
            self.teacher_key = self.teachers[0].key if self.teachers else ""
        keys: dict[str, tuple[str, int]] = {}

        def key_for(kind: str, row_id: int) -> str:
            key = new_key()
            keys[key] = (kind, row_id)
            return key

        teacher = next(
            (t for t in view.teachers if t.teacher_id == self._teacher_ids.get(self.teacher_key)), None
        )
        self.teacher_name, self.room = (teacher.name, teacher.room) if teacher else ("", "")
        still_free = False
        days = []
        for d in teacher.days if teacher else []:
            cells = []
            for s in d.slots:
                chosen = s.slot_id == self._chosen_slot and s.status == "free"
                still_free = still_free or chosen
                key = key_for("booking" if s.booking_id else "slot", s.booking_id or s.slot_id)
                cells.append(SlotCell(key, hhmm(s.starts_at), s.status, s.pupil, s.can_double, chosen))
            mode = "absent" if d.absent else ("custom" if d.own_start or d.own_end else "available")
            days.append(
                DayView(
                    key_for("day", d.day_id),
                    Both(_day_label(d.day, "nl"), _day_label(d.day, "en")),
                    f"{d.starts_at:%H:%M}-{d.ends_at:%H:%M}",
                    mode,
                    f"{d.own_start or d.starts_at:%H:%M}",
                    f"{d.own_end or d.ends_at:%H:%M}",
                    [
                        BreakCell(key_for("break", b.break_id), f"{b.starts_at:%H:%M}-{b.ends_at:%H:%M}")
                        for b in d.breaks
                    ],
                    cells,
                )
            )
        self.days, self._keys = days, keys
        if not still_free:
            self._chosen_slot, self.chosen_label = 0, Both()
        self._pupil_keys = {new_key(): (p.pupil_id, p.household_id) for p in view.pupils}
        labels = [p.label for p in view.pupils]
        self.pupils = [Option(k, label) for k, label in zip(self._pupil_keys, labels, strict=True)]
        self.progress = [ProgressRow(p.class_name, p.booked, p.pupils, p.not_booked) for p in view.progress]
        self.not_booked, self._class_keys = class_rows(view.progress)
        self.access = "granted"

    def _wipe(self, access: str = "") -> None:
        self.reset()
        self.access = access

    @contextmanager
    def _guarded(self, refused: str = "") -> Iterator[None]:
        """A refused caller gets the page wiped (``refused`` as its access), as on every page of the app;
        a round that is not the school's shows "missing"."""
        try:
            with self._handled(deny=lambda: self._wipe(refused)):
                yield
        except RoundNotFound:
            self._wipe("missing")

    async def _run(self, section: str, action: Action, ok_key: str | None = "round.saved") -> None:
        """Run one change and reload the page's data, in one call; show the section's message (or the
        error naming the field, with the grid as it is now: e.g. "just taken")."""
        self.notices = {}
        round_id = self._round_id
        with self._guarded():
            done, error, view = await self._call(SCHOOL_ADMIN, lambda call: _act(call, action, round_id))
            if view is not None:
                self._show_round(view)
            if error is not None:
                self.notices = {section: error_notice(error)}
            elif ok_key:
                self.notices = {section: done if isinstance(done, Notice) else notice(ok_key)}


Action = Callable[[Call, Actor], object]  # a Notice to show, or anything (the section's "saved")


def _nothing(_call: Call, _actor: Actor) -> None:
    """The work of a handler that only reloads the page."""


def _view(call: Call, round_id: int) -> svc.RoundAdmin:
    return svc.round_admin(call.db, actor=Actor.from_identity(call.identity), round_id=round_id)


def _act(
    call: Call, action: Action, round_id: int
) -> tuple[object, DomainError | None, svc.RoundAdmin | None]:
    """``action``, then the page's data; a rule it broke comes back with the data as it is now (refusals
    and a round of another school are raised)."""
    actor = Actor.from_identity(call.identity)
    try:
        done = action(call, actor)
    except (PermissionDenied, RoundNotFound):
        raise
    except DomainError as error:
        call.db.rollback()  # nothing of the failed change is shown (or kept)
        with contextlib.suppress(DomainError):  # includes refusals: the error message stays
            return None, error, svc.round_admin(call.db, actor=actor, round_id=round_id)
        return None, error, None
    return done, None, svc.round_admin(call.db, actor=actor, round_id=round_id)


def _known(row_id: int, kind: str) -> int:
    if not row_id:
        raise PermissionDenied(f"unknown {kind}")
    return row_id


def _teacher(teacher_id: int) -> int:
    if not teacher_id:
        raise PermissionDenied("no teacher chosen")
    return teacher_id
