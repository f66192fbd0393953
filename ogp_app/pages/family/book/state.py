"""/book: a parent sees each child with the teacher(s) to meet, picks a free time, cancels or moves it.

Ids never reach the browser: rows carry random keys that map to (round, pupil, teacher, booking) in
backend-only vars, and every service call checks the pupil is the caller's own child again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

import reflex as rx
from reflex.state import MutableProxy

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.i18n import translate
from ogp_app.models import Role
from ogp_app.models.base import utcnow
from ogp_app.pages.shared.meeting_views import (
    Both,
    MeetingView,
    SlotView,
    join_texts,
    link_times,
    new_key,
    slot_texts,
    when,
)
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.handler_calls import Access, Call, caller_only
from ogp_app.services.rounds import SlotNotFound, SlotTaken
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import NOTE_MAX, book, cancel, rebook
from ogp_app.services.rounds.booking_rules import (
    Window,
    booking_window_open,
    family_may_change,
    next_opening,
)
from ogp_app.services.rounds.online.joining import (
    OnlineJoin,
    choose_online,
    joins_online,
    may_choose,
    parent_joins,
)
from ogp_app.services.rounds.online.links import link_opens_at
from ogp_app.services.rounds.outcomes import family_summaries
from ogp_app.services.rounds.review_invite import review_invitation
from ogp_app.services.rounds.views import free_slots, parent_rounds
from ogp_app.state.base import AppState

KEY_MAX = 32
T = TypeVar("T")


def _plain(value: T) -> T:
    """A var's value itself, without the change-tracking proxy Reflex wraps around each read of a list,
    dict or dataclass (and again around every item taken from it). For reads only: this page never
    changes a value in place, it assigns a new one. Each proxy costs Python calls, paid per rush event."""
    return value.__wrapped__ if isinstance(value, MutableProxy) else value


# A browser whose clock runs ahead fires the countdown early: up to this many seconds the server waits
# for the opening itself; further off (the opening was moved since) the page is read again.
EARLY_OPENING_WAIT_SECONDS = 5.0


# Every handler here may run hundreds of times a second at an opening: the identity comes from the cache.
PARENT = Access((Role.PARENT,), cached=True)


PARENT_FRESH = Access((Role.PARENT,), cached=True, fresh=True)  # a page load


class BookState(AppState):
    access: str = ""
    meetings: list[MeetingView] = []
    any_booked: bool = False  # offers the calendar file of the family's conversations
    opens: Both = Both()  # when no round is open yet: the moment booking opens
    opens_iso: str = ""  # the same moment for the countdown that ticks in the browser
    server_now_iso: str = ""  # the server's clock when opens_iso was sent: the countdown counts by it
    review_round: str = ""  # a finished round this parent may still review (links to /review)
    picking: str = ""  # key of the meeting whose free times are shown
    picking_title: str = ""
    slots: list[SlotView] = []
    note: str = ""
    notice: Notice = NO_NOTICE
    _meeting_ids: dict[str, dict[str, int]] = {}
    _slot_ids: dict[str, int] = {}
    _slot_starts: dict[str, datetime] = {}  # when each shown time starts (to show a booking without a reload)
    _windows: dict[int, Window] = {}  # per round id
    _cancel_until: dict[int, datetime | None] = {}  # per round id: the families' cancel deadline

    def _deny(self) -> None:
        self.reset()
        self.access = "denied"

    def _show_page(self, page: _Page) -> None:
        self.access = "granted"
        self.meetings, self._meeting_ids = page.meetings, page.ids
        self.any_booked = any(m.booked for m in page.meetings)
        self.opens, self.opens_iso, self.server_now_iso = page.opens, page.opens_iso, page.server_now_iso
        self.review_round = page.review_round
        self._windows, self._cancel_until = page.windows, page.cancel_until

    def _show_slots(self, shown: _Slots) -> None:
        self.slots, self._slot_ids, self._slot_starts = shown.slots, shown.ids, shown.starts

    def _close(self) -> None:
        self.picking, self.slots, self._slot_ids, self._slot_starts = "", [], {}, {}

    @rx.event
    async def load_page(self) -> None:
        with self._handled(deny=self._deny):
            self._show_page(await self._call(PARENT_FRESH, _page_of))
            self._close()
            self.notice, self.note = NO_NOTICE, ""

    @rx.event
    async def window_opened(self) -> Any:
        """The countdown reached zero. Every parent waiting on /book asks at that same moment, so the
        meetings open by the server's clock from the window times the page was read with, not by reading
        the page again (200 reloads at once kept the last parent waiting 4-5 s). Booking itself checks
        the window in the database, so a time moved since can only be refused there."""
        with self._handled():  # refused: wipe whatever the page showed, flag nothing
            await self._call(PARENT, caller_only)
            return await self._opened()
        return None

    async def _opened(self) -> Any:
        target = datetime.fromisoformat(self.opens_iso) if self.opens_iso else None
        early = (target - utcnow()).total_seconds() if target else 0.0
        if early > EARLY_OPENING_WAIT_SECONDS:
            return BookState.load_page
        if early > 0:
            await asyncio.sleep(early)
        now = utcnow()
        windows, meeting_ids = _plain(self._windows), _plain(self._meeting_ids)
        self.meetings = [
            replace(m, open=_open_at(windows[meeting_ids[m.key]["round"]], now))
            for m in _plain(self.meetings)
        ]
        self.opens, self.opens_iso, self.server_now_iso = _opening_texts(
            next_opening(windows.values(), now), now
        )
        return None

    @rx.event
    async def pick(self, key: Any) -> None:
        """Show the free times for one meeting (to book it, or to move it)."""
        with self._handled(notice="notice"):  # refused: wipe whatever the page showed, flag nothing
            meeting_ids = _plain(self._meeting_ids)
            if not isinstance(key, str) or len(key) > KEY_MAX or key not in meeting_ids:
                raise PermissionDenied("unknown meeting")
            ids = meeting_ids[key]
            shown = await self._call(PARENT, lambda call: _slots_of(call, ids))
            view = next(m for m in _plain(self.meetings) if m.key == key)
            self.picking = key
            self.picking_title = f"{view.child} · {view.teacher}"
            self.note = view.note
            self._show_slots(shown)
            self.notice = NO_NOTICE

    @rx.event
    def close_picker(self) -> None:
        self._close()

    @rx.event
    async def set_note(self, value: Any) -> None:
        """The note typed for the teacher; kept only for a signed-in parent."""
        with self._handled():  # refused: wipe whatever the page showed, flag nothing
            await self._call(PARENT, caller_only)
            if isinstance(value, str):
                self.note = value[:NOTE_MAX]

    @rx.event
    async def choose(self, slot_key: Any) -> None:
        """Book (or move to) the chosen time; a lost race refreshes the grid and says so."""
        with self._handled(notice="notice"):  # refused: wipe whatever the page showed, flag nothing
            key, slot_ids = self.picking, _plain(self._slot_ids)
            ids = _plain(self._meeting_ids).get(key)
            if not isinstance(slot_key, str) or ids is None or slot_key not in slot_ids:
                raise PermissionDenied("unknown time")
            slot_id, starts, note = slot_ids[slot_key], _plain(self._slot_starts).get(slot_key), self.note
            booked = await self._call(PARENT, lambda call: _book_or_reload(call, ids, slot_id, note))
            if isinstance(booked, _Lost):  # just taken: say so and show the times still free
                self.notice = error_notice(SlotTaken())
                self._show_slots(booked.slots)
                return
            booking_id = booked
            if starts is None:  # not expected: then show what the database says
                self._show_page(await self._call(PARENT, _page_of))
            else:  # only this meeting changed: show it booked, keep the rest of the page
                self._show_booked(key, booking_id, starts, moved=bool(ids["booking"]))
            self._close()
            self.note = ""
            self.notice = notice("book.done")

    def _show_booked(self, key: str, booking_id: int, starts: datetime, *, moved: bool) -> None:
        meeting_ids = _plain(self._meeting_ids)
        self._meeting_ids = {**meeting_ids, key: {**meeting_ids[key], "booking": booking_id}}
        note = self.note.strip()[:NOTE_MAX]  # a move keeps the booking's note (the one shown)
        self.any_booked = True
        deadline = _plain(self._cancel_until).get(meeting_ids[key]["round"])
        now = utcnow()
        self.meetings = [
            replace(
                m,
                booked=True,
                when=when(starts),
                note=m.note if moved else note,
                booked_by=Both(),
                can_cancel=family_may_change(deadline, starts, now),
                **_fresh_booking_fields(m.mode, starts, now),
            )
            if m.key == key
            else m
            for m in _plain(self.meetings)
        ]

    @rx.event
    async def set_online(self, key: Any, online: Any) -> None:
        """The household's choice for a booked conversation where the family chooses."""
        with self._handled(notice="notice"):  # refused: wipe whatever the page showed, flag nothing
            booking_id = (
                _plain(self._meeting_ids).get(key, {}).get("booking") if isinstance(key, str) else None
            )
            if not booking_id or not isinstance(online, bool):
                raise PermissionDenied("unknown booking")
            join = await self._call(
                PARENT,
                lambda call: choose_online(
                    call.db,
                    actor=Actor.from_identity(call.identity),
                    booking_id=booking_id,
                    online=online,
                    now=utcnow(),
                ),
            )
            fields = _join_fields(join, utcnow())
            self.meetings = [replace(m, **fields) if m.key == key else m for m in _plain(self.meetings)]
            self.notice = notice("online.chosen_online" if online else "online.chosen_on_site")

    @rx.event
    async def cancel_meeting(self, key: Any) -> None:
        with self._handled(notice="notice"):  # refused: wipe whatever the page showed, flag nothing
            meeting_ids = _plain(self._meeting_ids)
            if not isinstance(key, str) or key not in meeting_ids or not meeting_ids[key]["booking"]:
                raise PermissionDenied("unknown booking")
            booking_id = meeting_ids[key]["booking"]
            self._show_page(await self._call(PARENT, lambda call: _cancel_and_reload(call, booking_id)))
            self._close()
            self.notice = notice("book.cancelled")


@dataclass(frozen=True)
class _Page:
    meetings: list[MeetingView]
    ids: dict[str, dict[str, int]]
    opens: Both
    opens_iso: str
    server_now_iso: str
    review_round: str
    windows: dict[int, Window]
    cancel_until: dict[int, datetime | None]


@dataclass(frozen=True)
class _Slots:
    slots: list[SlotView]
    ids: dict[str, int]
    starts: dict[str, datetime]


def _page_of(call: Call) -> _Page:
    now, actor = utcnow(), Actor.from_identity(call.identity)
    rounds = parent_rounds(call.db, actor=actor, now=now)
    review_round = review_invitation(call.db, actor=actor, now=now)
    views: list[MeetingView] = []
    ids: dict[str, dict[str, int]] = {}
    windows = {rnd.round_id: (rnd.opens_at, rnd.closes_at) for rnd in rounds}
    cancel_until = {rnd.round_id: rnd.cancel_until for rnd in rounds}
    booked = [m.booking_id for rnd in rounds for c in rnd.children for m in c.meetings if m.booking_id]
    joins = parent_joins(call.db, actor=actor, booking_ids=booked, now=now) if booked else {}
    summaries = family_summaries(call.db, school_id=call.school_id, booking_ids=booked) if booked else {}
    for rnd in rounds:
        for child in rnd.children:
            for m in child.meetings:
                key = new_key()
                ids[key] = {
                    "round": rnd.round_id,
                    "pupil": child.pupil_id,
                    "teacher": m.teacher_id,
                    "booking": m.booking_id or 0,
                }
                views.append(
                    MeetingView(
                        key,
                        rnd.name,
                        child.name,
                        child.class_name,
                        m.teacher_name,
                        m.room,
                        m.booking_id is not None,
                        when(m.starts_at),
                        m.note,
                        rnd.is_open,
                        _booked_by(m.booked_by),
                        m.changeable,
                        m.mode,
                        **_join_fields(joins.get(m.booking_id or 0), now),
                        summary=summaries.get(m.booking_id or 0, ""),
                    )
                )
    opening = _opening_texts(next_opening(windows.values(), now), now)
    return _Page(views, ids, *opening, review_round, windows, cancel_until)


def _join_fields(join: OnlineJoin | None, now: datetime) -> dict[str, Any]:
    """A meeting's online fields; the link itself only while it is shown (services.rounds.online)."""
    if join is None:
        return {"online": False, "online_choice": False, **link_times(None, now)}
    return {"online": join.online, "online_choice": join.may_choose, **join_texts(join, now)}


def _fresh_booking_fields(mode: str, starts: datetime, now: datetime) -> dict[str, Any]:
    """A meeting just booked, shown without reading the page again: online by the meeting's mode (the
    family chooses afterwards where it may; the link itself comes when the countdown reaches it)."""
    online = joins_online(mode, chosen=False)
    opens = link_opens_at(starts) if online else None
    return {"online": online, "online_choice": may_choose(mode, starts, now), **link_times(opens, now)}


def _booked_by(name: str) -> Both:
    if not name:
        return Both()
    return Both(
        translate("households.book.booked_by", "nl", name=name),
        translate("households.book.booked_by", "en", name=name),
    )


def _open_at(window: Window, now: datetime) -> bool:
    return booking_window_open("open", *window, now)  # the page shows only rounds with status open


def _opening_texts(opening: datetime | None, now: datetime) -> tuple[Both, str, str]:
    """The opening as the page shows it (both languages), as the countdown's target, and the server's
    clock beside it (the countdown counts by that, whatever the phone's clock says)."""
    if opening is None:
        return Both(), "", ""
    return when(opening, "EEEE d MMMM y, HH:mm"), opening.isoformat(), now.isoformat()


def _slots_of(call: Call, ids: dict[str, int]) -> _Slots:
    days = free_slots(
        call.db,
        actor=Actor.from_identity(call.identity),
        round_id=ids["round"],
        pupil_id=ids["pupil"],
        teacher_id=ids["teacher"],
        now=utcnow(),
    )
    slots: list[SlotView] = []
    slot_ids: dict[str, int] = {}
    starts: dict[str, datetime] = {}
    grid = new_key()  # one random key per grid: a time tapped in an older grid matches no time in this one
    for day in days:
        for s in day.slots:
            key = f"{grid}{len(slots)}"
            slot_ids[key], starts[key] = s.slot_id, s.starts_at
            day_nl, day_en, times = slot_texts(s.starts_at, s.ends_at)
            slots.append(SlotView(key=key, day_nl=day_nl, day_en=day_en, time=times, suggested=s.suggested))
    return _Slots(slots, slot_ids, starts)


@dataclass(frozen=True)
class _Lost:
    """The chosen time was just taken (or is gone): the meeting's free times as they are now."""

    slots: _Slots


def _book_or_reload(call: Call, ids: dict[str, int], slot_id: int, note: str) -> int | _Lost:
    """Book (or move to) the time; a lost race reads the free times again in the same thread trip."""
    actor = Actor.from_identity(call.identity)
    try:
        if ids["booking"]:
            return rebook(call.db, actor=actor, booking_id=ids["booking"], slot_id=slot_id)
        return book(call.db, actor=actor, slot_id=slot_id, pupil_id=ids["pupil"], note=note)
    except (SlotTaken, SlotNotFound):
        return _Lost(_slots_of(call, ids))


def _cancel_and_reload(call: Call, booking_id: int) -> _Page:
    cancel(call.db, actor=Actor.from_identity(call.identity), booking_id=booking_id)
    return _page_of(call)
