"""An online conversation on a booking page or a teacher's evening: the join link, or when it appears."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.text import t


def join_block(online: Any, join_url: Any, join_from: Any) -> rx.Component:
    """ "Online" and, from 10 minutes before, the link that opens the school's video service in a new tab
    (no referrer: the video service learns nothing of OGP's pages); before then, when it appears."""
    return rx.cond(
        online,
        rx.flex(
            rx.badge(rx.icon("video", size=14), t("online.badge"), color_scheme="blue", size="2"),
            rx.cond(
                join_url != "",
                rx.link(
                    rx.button(rx.icon("video"), t("online.join"), size="3", high_contrast=True),
                    href=join_url,
                    is_external=True,
                    rel="noopener noreferrer",
                    class_name="join-link",
                ),
                rx.text(t("online.link_from"), " ", join_from, size="2", class_name="join-later"),
            ),
            align="center",
            gap="0.5rem",
            wrap="wrap",
            class_name="online-conversation",
        ),
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
    )
