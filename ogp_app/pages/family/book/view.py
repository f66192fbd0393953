"""The view of /book (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.api.round_exports import FAMILY_CALENDAR_PATH
from ogp_app.components.blocks import card_stack, column, or_empty
from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.countdown import countdown
from ogp_app.components.layout import gated_page
from ogp_app.components.notice import notice_view
from ogp_app.components.online import choice_buttons, join_block, mode_hint
from ogp_app.components.text import both, by_lang, t
from ogp_app.pages.family.book.state import BookState
from ogp_app.pages.shared.round_downloads import download_link
from ogp_app.services.rounds.booking import NOTE_MAX


def _meeting_card(m: Any) -> rx.Component:
    return card_stack(
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
                rx.badge(
                    rx.cond(m.booked_by.nl != "", both(m.booked_by), t("book.booked")),
                    color_scheme="green",
                    high_contrast=True,
                    size="2",
                ),
                rx.text(both(m.when), weight="bold", class_name="booked-when"),
                join_block(m, BookState.load_page),
                rx.cond(
                    m.summary != "",
                    rx.text(t("outcomes.from_teacher"), " ", m.summary, size="2", class_name="summary"),
                ),
                rx.cond(
                    m.online_choice,
                    choice_buttons(
                        m.online,
                        BookState.set_online(m.key, False),  # type: ignore[operator]
                        BookState.set_online(m.key, True),  # type: ignore[operator]
                    ),
                ),
                rx.cond(
                    m.note != "",
                    rx.text(
                        rx.cond(m.booked_by.nl != "", t("households.book.note"), t("book.your_note")),
                        " ",
                        m.note,
                        size="2",
                    ),
                ),
                rx.cond(
                    m.can_cancel,
                    _change_buttons(m),
                    rx.text(t("book.change_closed"), size="2", class_name="change-closed"),
                ),
                spacing="2",
            ),
            rx.vstack(
                mode_hint(m.mode),
                rx.cond(m.open, _pick_button("book.pick_time", m), rx.text(t("book.not_open"), size="2")),
                spacing="2",
            ),
        ),
        spacing="2",
    )


def _pick_button(label_key: str, m: Any, **style: Any) -> rx.Component:
    """Opens the time grid of the meeting: to pick a time, or to move the booked one."""
    return rx.button(
        t(label_key),
        on_click=BookState.pick(m.key),  # type: ignore[operator]
        size="3",
        high_contrast=True,
        **style,
    )


def _change_buttons(m: Any) -> rx.Component:
    """Move (while the window is open) and cancel (asks first): only before the cancel deadline."""
    return rx.hstack(
        rx.cond(m.open, _pick_button("book.move", m, variant="outline")),
        confirm_dialog(
            rx.button(t("book.cancel"), color_scheme="red", variant="soft", size="3", high_contrast=True),
            title_key="confirm.book_cancel.title",
            body=rx.fragment(
                rx.text(m.child, ", ", m.teacher, ": ", both(m.when), weight="bold"),
                rx.text(t("confirm.book_cancel.body")),
            ),
            confirm_key="confirm.book_cancel.action",
            on_confirm=BookState.cancel_meeting(m.key),  # type: ignore[operator]
        ),
        wrap="wrap",
    )


def _slot_button(s: Any) -> rx.Component:
    return rx.button(
        s.time,
        rx.cond(s.suggested, rx.text(t("book.suggested"), as_="span", size="1", weight="bold")),
        on_click=BookState.choose(s.key),  # type: ignore[operator]
        variant=rx.cond(s.suggested, "solid", "outline"),
        high_contrast=True,
        size="3",
        aria_label=by_lang(s.day_en, s.day_nl) + " " + s.time,
        min_width="8.5rem",
    )


def _picker() -> rx.Component:
    return card_stack(
        rx.heading(t("book.pick_title"), " ", BookState.picking_title, as_="h2", size="5", id="picker-title"),
        rx.el.label(t("book.note_label"), html_for="book_note", font_weight="500"),
        rx.text_area(
            id="book_note",
            value=BookState.note,
            on_change=BookState.set_note,
            max_length=NOTE_MAX,
            width="100%",
        ),
        rx.cond(  # the grid leaves out what the family rules refuse (booking_rules.FamilyRules)
            BookState.any_booked,
            rx.text(t("book.family_times_left_out"), size="2", id="family-times-left-out"),
        ),
        or_empty(
            BookState.slots,
            rx.flex(
                rx.foreach(
                    BookState.slots,
                    lambda s, i: rx.fragment(
                        rx.cond(
                            (i == 0) | (BookState.slots[i - 1].day_nl != s.day_nl),
                            rx.heading(
                                by_lang(s.day_en, s.day_nl),
                                as_="h3",
                                size="3",
                                width="100%",
                                margin_top="0.5rem",
                            ),
                        ),
                        _slot_button(s),
                    ),
                ),
                wrap="wrap",
                gap="0.5rem",
                id="slot-grid",
            ),
            "book.no_free_times",
        ),
        rx.button(t("book.close"), on_click=BookState.close_picker, variant="ghost", size="3"),
        id="picker",
    )


def book_page() -> rx.Component:
    return gated_page(
        "book.title",
        BookState.access == "denied",
        "book.no_access",
        column(
            rx.text(t("book.intro")),
            rx.cond(
                BookState.opens.nl != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("clock")),
                    rx.vstack(
                        rx.callout.text(t("book.opens_at"), " ", both(BookState.opens)),
                        rx.callout.text(
                            t("book.countdown"),
                            " ",
                            countdown(
                                target=BookState.opens_iso,
                                server_now=BookState.server_now_iso,
                                day_word=t("book.countdown_day"),
                                days_word=t("book.countdown_days"),
                                on_done=BookState.window_opened,
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
            or_empty(
                BookState.meetings,
                rx.grid(
                    rx.foreach(BookState.meetings, _meeting_card),
                    columns={"initial": "1", "md": "2"},
                    gap="1rem",
                    width="100%",
                    id="meetings",
                ),
                "book.nothing",
            ),
            rx.cond(
                BookState.any_booked,
                rx.flex(
                    rx.icon("calendar-plus", aria_hidden="true"),
                    download_link("book.calendar", FAMILY_CALENDAR_PATH, id="calendar-download"),
                    align="center",
                    gap="0.6rem",
                ),
            ),
        ),
    )
