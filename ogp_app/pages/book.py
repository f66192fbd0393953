"""/book: a parent sees each child with the teacher(s) to meet, picks a free time, cancels or moves it.

Ids never reach the browser: rows carry random keys that map to (round, pupil, teacher, booking) in
backend-only vars, and every service call checks the pupil is the caller's own child again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from ogp_app.components.countdown import countdown
from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice, notice_view
from ogp_app.components.text import t
from ogp_app.db import school_session
from ogp_app.models import Role
from ogp_app.models.base import utcnow
from ogp_app.pages.book_views import Both, MeetingView, SlotView, new_key, time_range, when
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.rounds import SlotNotFound, SlotTaken
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import NOTE_MAX, book, cancel, rebook
from ogp_app.services.rounds.review_invite import review_invitation
from ogp_app.services.rounds.views import free_slots, parent_rounds
from ogp_app.state.base import AppState

KEY_MAX = 32


class BookState(AppState):
    access: str = ""
    meetings: list[MeetingView] = []
    opens: Both = Both()  # when no round is open yet: the moment booking opens
    opens_iso: str = ""  # the same moment for the countdown that ticks in the browser
    review_round: str = ""  # a finished round this parent may still review (links to /review)
    picking: str = ""  # key of the meeting whose free times are shown
    picking_title: str = ""
    slots: list[SlotView] = []
    note: str = ""
    notice: Notice = NO_NOTICE
    _meeting_ids: dict[str, dict[str, int]] = {}
    _slot_ids: dict[str, int] = {}

    def _actor(self) -> Actor:
        return Actor.from_identity(self._require(Role.PARENT))

    def _deny(self) -> None:
        self.reset()
        self.access = "denied"

    def _load(self, actor: Actor) -> None:
        now = utcnow()
        with school_session(actor.school_id) as db:
            rounds = parent_rounds(db, actor=actor, now=now)
        views: list[MeetingView] = []
        ids: dict[str, dict[str, int]] = {}
        upcoming: datetime | None = None
        for rnd in rounds:
            if not rnd.is_open and rnd.opens_at and rnd.opens_at > now:
                upcoming = min(upcoming or rnd.opens_at, rnd.opens_at)
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
                        )
                    )
        self.access = "granted"
        self.meetings, self._meeting_ids = views, ids
        self.opens = when(upcoming, "EEEE d MMMM y, HH:mm")
        self.opens_iso = upcoming.isoformat() if upcoming else ""
        with school_session(actor.school_id) as db:
            self.review_round = review_invitation(db, actor=actor, now=now)

    def _load_slots(self, actor: Actor) -> None:
        ids = self._meeting_ids.get(self.picking)
        if ids is None:
            self.slots, self._slot_ids, self.picking = [], {}, ""
            return
        with school_session(actor.school_id) as db:
            days = free_slots(
                db,
                actor=actor,
                round_id=ids["round"],
                pupil_id=ids["pupil"],
                teacher_id=ids["teacher"],
                now=utcnow(),
            )
        slots: list[SlotView] = []
        slot_ids: dict[str, int] = {}
        for day in days:
            for s in day.slots:
                key = new_key()
                slot_ids[key] = s.slot_id
                slots.append(
                    SlotView(
                        key, when(s.starts_at, "EEEE d MMMM"), time_range(s.starts_at, s.ends_at), s.suggested
                    )
                )
        self.slots, self._slot_ids = slots, slot_ids

    @rx.event
    def load_page(self) -> None:
        try:
            self._load(self._actor())
        except (NotAuthenticated, PermissionDenied):
            self._deny()
            return
        self.picking, self.slots, self._slot_ids, self.notice, self.note = "", [], {}, NO_NOTICE, ""

    @rx.event
    def pick(self, key: Any) -> None:
        """Show the free times for one meeting (to book it, or to move it)."""
        try:
            actor = self._actor()
            if not isinstance(key, str) or len(key) > KEY_MAX or key not in self._meeting_ids:
                raise PermissionDenied("unknown meeting")
            self.picking = key
            view = next(m for m in self.meetings if m.key == key)
            self.picking_title = f"{view.child} · {view.teacher}"
            self.note = view.note
            self._load_slots(actor)
            self.notice = NO_NOTICE
        except (NotAuthenticated, PermissionDenied):
            self.reset()  # refused action: wipe whatever the page showed, flag nothing
        except DomainError as error:
            self.notice = error_notice(error)

    @rx.event
    def close_picker(self) -> None:
        self.picking, self.slots, self._slot_ids = "", [], {}

    @rx.event
    def set_note(self, value: Any) -> None:
        """The note typed for the teacher; kept only for a signed-in parent."""
        try:
            self._actor()
        except (NotAuthenticated, PermissionDenied):
            self.reset()  # refused action: wipe whatever the page showed, flag nothing
            return
        if isinstance(value, str):
            self.note = value[:NOTE_MAX]

    @rx.event
    def choose(self, slot_key: Any) -> None:
        """Book (or move to) the chosen time; a lost race refreshes the grid and says so."""
        try:
            actor = self._actor()
            ids = self._meeting_ids.get(self.picking)
            if not isinstance(slot_key, str) or ids is None or slot_key not in self._slot_ids:
                raise PermissionDenied("unknown time")
            with school_session(actor.school_id) as db:
                if ids["booking"]:
                    rebook(db, actor=actor, booking_id=ids["booking"], slot_id=self._slot_ids[slot_key])
                else:
                    book(
                        db,
                        actor=actor,
                        slot_id=self._slot_ids[slot_key],
                        pupil_id=ids["pupil"],
                        note=self.note,
                    )
            self._load(actor)
            self.picking, self.slots, self._slot_ids, self.note = "", [], {}, ""
            self.notice = notice("book.done")
        except (NotAuthenticated, PermissionDenied):
            self.reset()  # refused action: wipe whatever the page showed, flag nothing
        except (SlotTaken, SlotNotFound) as error:
            self.notice = error_notice(SlotTaken() if isinstance(error, SlotNotFound) else error)
            self._load_slots(self._actor())
        except DomainError as error:
            self.notice = error_notice(error)

    @rx.event
    def cancel_meeting(self, key: Any) -> None:
        try:
            actor = self._actor()
            if (
                not isinstance(key, str)
                or key not in self._meeting_ids
                or not self._meeting_ids[key]["booking"]
            ):
                raise PermissionDenied("unknown booking")
            with school_session(actor.school_id) as db:
                cancel(db, actor=actor, booking_id=self._meeting_ids[key]["booking"])
            self._load(actor)
            self.picking, self.slots, self._slot_ids = "", [], {}
            self.notice = notice("book.cancelled")
        except (NotAuthenticated, PermissionDenied):
            self.reset()  # refused action: wipe whatever the page showed, flag nothing
        except DomainError as error:
            self.notice = error_notice(error)


def _both(value: Any) -> rx.Var:
    return rx.cond(AppState.lang == "en", value.en, value.nl)


def _meeting_card(m: Any) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(m.child, ", ", m.teacher, as_="h3", size="4"),
            rx.text(
                m.class_name,
                ", ",
                m.round_name,
                ", ",
                m.room,
                size="2",
                color_scheme="gray",
            ),
            rx.cond(
                m.booked,
                rx.vstack(
                    rx.badge(t("book.booked"), color_scheme="green", high_contrast=True, size="2"),
                    rx.text(_both(m.when), weight="bold", class_name="booked-when"),
                    rx.cond(m.note != "", rx.text(t("book.your_note"), " ", m.note, size="2")),
                    rx.hstack(
                        rx.button(
                            t("book.move"),
                            on_click=BookState.pick(m.key),  # type: ignore[operator]
                            variant="outline",
                            size="3",
                            high_contrast=True,
                        ),
                        rx.button(
                            t("book.cancel"),
                            on_click=BookState.cancel_meeting(m.key),  # type: ignore[operator]
                            color_scheme="red",
                            variant="soft",
                            size="3",
                            high_contrast=True,
                        ),
                        wrap="wrap",
                    ),
                    spacing="2",
                ),
                rx.cond(
                    m.open,
                    rx.button(
                        t("book.pick_time"),
                        on_click=BookState.pick(m.key),  # type: ignore[operator]
                        size="3",
                        high_contrast=True,
                    ),
                    rx.text(t("book.not_open"), size="2"),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _slot_button(s: Any) -> rx.Component:
    return rx.button(
        s.time,
        rx.cond(s.suggested, rx.text(t("book.suggested"), as_="span", size="1", weight="bold")),
        on_click=BookState.choose(s.key),  # type: ignore[operator]
        variant=rx.cond(s.suggested, "solid", "outline"),
        high_contrast=True,
        size="3",
        aria_label=rx.cond(AppState.lang == "en", s.day.en, s.day.nl) + " " + s.time,
        min_width="8.5rem",
    )


def _picker() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(
                t("book.pick_title"), " ", BookState.picking_title, as_="h2", size="5", id="picker-title"
            ),
            rx.el.label(t("book.note_label"), html_for="book_note", font_weight="500"),
            rx.text_area(
                id="book_note",
                value=BookState.note,
                on_change=BookState.set_note,
                max_length=NOTE_MAX,
                width="100%",
            ),
            rx.cond(
                BookState.slots.length() > 0,  # type: ignore[attr-defined]
                rx.flex(
                    rx.foreach(
                        BookState.slots,
                        lambda s, i: rx.fragment(
                            rx.cond(
                                (i == 0) | (BookState.slots[i - 1].day.nl != s.day.nl),
                                rx.heading(
                                    _both(s.day), as_="h3", size="3", width="100%", margin_top="0.5rem"
                                ),
                            ),
                            _slot_button(s),
                        ),
                    ),
                    wrap="wrap",
                    gap="0.5rem",
                    id="slot-grid",
                ),
                rx.text(t("book.no_free_times")),
            ),
            rx.button(t("book.close"), on_click=BookState.close_picker, variant="ghost", size="3"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="picker",
    )


def book_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading(t("book.title"), as_="h1", size="7"),
            rx.cond(
                BookState.access == "denied",
                rx.text(t("book.no_access")),
                rx.vstack(
                    rx.text(t("book.intro")),
                    rx.cond(
                        BookState.opens.nl != "",
                        rx.callout.root(
                            rx.callout.icon(rx.icon("clock")),
                            rx.vstack(
                                rx.callout.text(t("book.opens_at"), " ", _both(BookState.opens)),
                                rx.callout.text(
                                    t("book.countdown"),
                                    " ",
                                    countdown(
                                        target=BookState.opens_iso,
                                        day_word=t("book.countdown_day"),
                                        days_word=t("book.countdown_days"),
                                        on_done=BookState.load_page,
                                        id="opens-countdown",
                                        font_weight="bold",
                                    ),
                                    aria_live="off",
                                ),
                                spacing="1",
                            ),
                            high_contrast=True,
                            id="opens",
                        ),
                    ),
                    rx.cond(
                        BookState.review_round != "",
                        rx.callout.root(
                            rx.callout.icon(rx.icon("star")),
                            rx.callout.text(
                                t("book.review_invite"),
                                " ",
                                BookState.review_round,
                                ". ",
                                rx.link(t("book.review_link"), href="/review", id="review-link"),
                            ),
                            high_contrast=True,
                        ),
                    ),
                    notice_view(BookState.notice),
                    rx.cond(BookState.picking != "", _picker()),
                    rx.cond(
                        BookState.meetings.length() > 0,  # type: ignore[attr-defined]
                        rx.grid(
                            rx.foreach(BookState.meetings, _meeting_card),
                            columns={"initial": "1", "md": "2"},
                            gap="1rem",
                            width="100%",
                            id="meetings",
                        ),
                        rx.text(t("book.nothing")),
                    ),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
