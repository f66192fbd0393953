"""The public front page: what the product does for a school and for a parent."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t


def _audience(title_key: str, item_keys: list[str], icon: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(icon, aria_hidden="true"),
                rx.heading(t(title_key), as_="h2", size="5"),
                align="center",
            ),
            rx.el.ul(
                *[rx.el.li(rx.text(t(key)), margin_bottom="0.5rem") for key in item_keys],
                padding_left="1.2rem",
                margin="0",
            ),
            spacing="3",
        ),
        width="100%",
    )


def landing_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading(t("landing.title"), as_="h1", size={"initial": "7", "md": "8"}),
            rx.text(t("landing.intro"), size="4"),
            rx.hstack(
                rx.link(rx.button(t("landing.cta.signup"), size="3", high_contrast=True), href="/signup"),
                rx.link(rx.button(t("landing.cta.login"), size="3", variant="outline"), href="/login"),
                rx.link(rx.button(t("landing.cta.contact"), size="3", variant="outline"), href="/contact"),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            padding_y="1.5rem",
        ),
        rx.grid(
            _audience(
                "landing.schools.title",
                [
                    "landing.schools.import",
                    "landing.schools.rounds",
                    "landing.schools.overview",
                    "landing.schools.privacy",
                ],
                "school",
            ),
            _audience(
                "landing.parents.title",
                [
                    "landing.parents.invite",
                    "landing.parents.book",
                    "landing.parents.calendar",
                    "landing.parents.data",
                ],
                "users",
            ),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
    )
