"""Public information pages: the privacy statement and how to reach us."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.pages.contact_form import contact_form
from ogp_app.pages.privacy_statement import (
    PrivacyStatementState,
    built_in_statement,
    statement_text,
    version_line,
)

CONTACT_EMAIL = "privacy@oudergesprekplanner.nl"


def privacy_page() -> rx.Component:
    """The version in force: the built-in text, or the one published last (PrivacyStatementState)."""
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
