"""An online conversation on a booking page or a teacher's evening: the join link, or when it appears."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.countdown import countdown
from ogp_app.components.text import t


def join_block(row: Any, on_due: Any) -> rx.Component:
    """ "Online" and, from 10 minutes before, the link that opens the school's video service in a new tab
    (no referrer: the video service learns nothing of OGP's pages); before then, when it appears, with a
    countdown that asks the server (``on_due``) for the link when the time comes. ``row``: a meeting or
    evening row with online, join_url, join_from, join_at and read_at."""
    return rx.cond(
        row.online,
        rx.flex(
            rx.badge(rx.icon("video", size=14), t("online.badge"), color_scheme="blue", size="2"),
            rx.cond(
                row.join_url != "",
                rx.link(
                    rx.button(rx.icon("video"), t("online.join"), size="3", high_contrast=True),
                    href=row.join_url,
                    is_external=True,
                    rel="noopener noreferrer",
                    class_name="join-link",
                ),
                rx.text(
                    t("online.link_from"),
                    " ",
                    row.join_from,
                    rx.cond(
                        row.join_at != "",
                        rx.el.span(
                            countdown(
                                target=row.join_at,
                                server_now=row.read_at,
                                day_word=t("book.countdown_day"),
                                days_word=t("book.countdown_days"),
                                on_done=on_due,
                            ),
                            aria_hidden="true",  # the time is said before; a ticking number is noise
                            color="var(--gray-11)",
                            padding_left="0.5em",
                        ),
                    ),
                    size="2",
                    class_name="join-later",
                ),
            ),
            align="center",
            gap="0.5rem",
            wrap="wrap",
            class_name="online-conversation",
        ),
    )


def mode_hint(mode: Any) -> rx.Component:
    """Before booking: whether the conversation is online, or the family will choose."""
    return rx.match(
        mode,
        ("online", rx.text(rx.icon("video", size=14), " ", t("online.hint_online"), size="2")),
        ("family_choice", rx.text(t("online.hint_choice"), size="2")),
        rx.fragment(),
    )


def choice_buttons(online: Any, on_site_click: Any, online_click: Any) -> rx.Component:
    """The household's choice, where the family chooses: at school or online (the chosen one is filled)."""
    return rx.vstack(
        rx.text(t("online.choose"), size="2", weight="medium"),
        rx.hstack(
            _choice("online.on_site", ~online, on_site_click),
            _choice("online.online", online, online_click),
            spacing="2",
            role="group",
            aria_label=t("online.choose"),
        ),
        spacing="1",
    )


def _choice(label_key: str, chosen: Any, on_click: Any) -> rx.Component:
    return rx.button(
        t(label_key),
        on_click=on_click,
        variant=rx.cond(chosen, "solid", "outline"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        size="2",
        high_contrast=True,
    )
