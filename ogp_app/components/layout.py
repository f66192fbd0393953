"""Page frame: header with navigation, content column, footer with privacy, contact and language."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.text import t
from ogp_app.state.base import AppState


def language_switch() -> rx.Component:
    def choice(code: str) -> rx.Component:
        return rx.button(
            t(f"lang.{code}"),
            on_click=AppState.set_language(code),  # type: ignore[operator]
            variant=rx.cond(AppState.lang == code, "solid", "outline"),
            size="2",
            high_contrast=True,
            aria_pressed=rx.cond(AppState.lang == code, "true", "false"),
            lang=code,
            id=f"lang-{code}",
        )

    return rx.hstack(
        rx.text(t("footer.language"), as_="span", weight="medium"),
        choice("nl"),
        choice("en"),
        spacing="2",
        align="center",
        role="group",
        aria_label=t("footer.language"),
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(
                rx.hstack(
                    rx.image(src="/logo.svg", alt="", width="32px", height="32px"),
                    rx.text(t("app.name"), weight="bold", size="4"),
                    align="center",
                    spacing="2",
                ),
                href="/",
                underline="none",
                color_scheme="gray",
                high_contrast=True,
            ),
            rx.spacer(),
            rx.el.nav(
                rx.cond(
                    AppState.signed_in,
                    rx.link(t("nav.my_overview"), href="/app"),
                    rx.link(t("nav.login"), href="/login"),
                ),
                aria_label=t("nav.main"),
            ),
            align="center",
            width="100%",
            max_width="1100px",
            margin_x="auto",
            padding_x="1rem",
            padding_y="0.75rem",
        ),
        border_bottom="1px solid var(--gray-a5)",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.flex(
            rx.hstack(
                rx.link(t("footer.privacy"), href="/privacy"),
                rx.link(t("footer.contact"), href="/contact"),
                spacing="4",
            ),
            language_switch(),
            rx.text(t("footer.rights"), size="2", color_scheme="gray"),
            direction={"initial": "column", "md": "row"},
            gap="1rem",
            justify="between",
            align={"initial": "start", "md": "center"},
            wrap="wrap",
            max_width="1100px",
            margin_x="auto",
            padding="1rem",
        ),
        border_top="1px solid var(--gray-a5)",
        margin_top="3rem",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    """Every page: skip-link friendly landmarks, a readable column, works from 375 px up."""
    return rx.box(
        header(),
        rx.el.main(
            rx.box(*children, max_width="1100px", margin_x="auto", padding_x="1rem", padding_y="1.5rem"),
            id="main",
        ),
        footer(),
        lang=AppState.lang,
        min_height="100vh",
    )
