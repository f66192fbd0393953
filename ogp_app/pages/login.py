"""Log-in entry points for staff, teachers and parents; demo accounts in development."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.services.demo import DEMO_ACCOUNTS
from ogp_app.settings import get_settings


def _demo_login(label_key: str, email: str) -> rx.Component:
    # A plain HTML form: the POST returns a redirect, a full page load picks up the new cookie.
    return rx.el.form(
        rx.el.input(type="hidden", name="email", value=email),
        rx.button(t(label_key), type="submit", variant="soft", width="100%"),
        action="/api/dev/login",
        method="post",
        on_submit=None,  # without this Reflex adds a submit handler that calls preventDefault()
    )


def _demo_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("login.demo.title"), as_="h2", size="4"),
            rx.text(t("login.demo.body")),
            *[_demo_login(f"login.demo.{role}", email) for role, email in DEMO_ACCOUNTS.items()],
            spacing="3",
        ),
        width="100%",
    )


def login_page() -> rx.Component:
    sections: list[rx.Component] = [
        rx.heading(t("login.title"), as_="h1", size="7"),
        rx.card(
            rx.vstack(
                rx.heading(t("login.staff.title"), as_="h2", size="4"),
                rx.text(t("login.staff.body")),
                spacing="2",
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.heading(t("login.parents.title"), as_="h2", size="4"),
                rx.text(t("login.parents.body")),
                spacing="2",
            ),
            width="100%",
        ),
        rx.callout(t("login.unavailable"), icon="info", high_contrast=True, width="100%"),
    ]
    if get_settings().env == "development":
        sections.append(_demo_section())
    return page_frame(rx.vstack(*sections, spacing="4", max_width="640px"))
