"""Public information pages: the privacy statement and how to reach us."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.pages.contact_form import contact_form

PRIVACY_PROMISES = [
    "privacy.promise.purpose",
    "privacy.promise.minimal",
    "privacy.promise.no_third_parties",
    "privacy.promise.no_tracking",
    "privacy.promise.security",
    "privacy.promise.your_data",
    "privacy.promise.retention",
]
CONTACT_EMAIL = "privacy@oudergesprekplanner.nl"


def built_in_statement() -> rx.Component:
    """Version 1.0, shipped with the app (catalog keys privacy.*); later versions live in the database."""
    return rx.vstack(
        rx.heading(t("privacy.short.title"), as_="h2", size="5"),
        rx.text(t("privacy.short.body")),
        rx.el.ul(
            *[rx.el.li(rx.text(t(k)), margin_bottom="0.5rem") for k in PRIVACY_PROMISES],
            padding_left="1.2rem",
        ),
        rx.text(t("privacy.processor")),
        spacing="3",
        width="100%",
    )


def privacy_page() -> rx.Component:
    """The version in force: the built-in text, or the one published last (PrivacyStatementState)."""
    from ogp_app.pages.privacy_statement import PrivacyStatementState, statement_text, version_line

    return page_frame(
        rx.vstack(
            rx.heading(t("privacy.title"), as_="h1", size="7"),
            version_line(PrivacyStatementState.current),
            statement_text(PrivacyStatementState.current, built_in_statement()),
            rx.link(t("consent.history.link"), href="/privacy/history", id="history-link"),
            spacing="3",
            max_width="720px",
        )
    )


def contact_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading(t("contact.title"), as_="h1", size="7"),
            rx.text(t("contact.body")),
            rx.hstack(
                rx.text(t("contact.email_label"), weight="bold"),
                rx.link(CONTACT_EMAIL, href=f"mailto:{CONTACT_EMAIL}"),
                spacing="2",
                wrap="wrap",
            ),
            rx.text(t("contact.privacy_requests")),
            contact_form(),
            spacing="3",
            max_width="720px",
        )
    )
