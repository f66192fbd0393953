"""/unavailable: where a page goes when its event finds the database unreachable (issue 20, item 5).

A page's HTML is static and its data come over the websocket, so the page cannot answer 503 itself;
the event's error handler sends it here instead of Reflex's "An error occurred" toast. The page needs
no database (no on_load), and shows the text in the visitor's language (the language cookie).
HTTP routes answer such failures with a 503 page of their own (``ogp_app.api.unavailable``).
"""

# No ``from __future__ import annotations``: Reflex evaluates the handler's annotations in its own module.

import logging

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex.event import EventSpec

from ogp_app.api.unavailable import is_database_down
from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.text import t

UNAVAILABLE_PATH = "/unavailable"
logger = logging.getLogger(__name__)


def backend_exception_handler(exception: Exception) -> EventSpec:
    """The app's handler of event errors: the friendly page when the database is unreachable, else
    Reflex's own (a generic toast in production)."""
    if is_database_down(exception):
        logger.warning("database unreachable in a page event: %s", type(exception).__name__)
        return rx.redirect(UNAVAILABLE_PATH)
    return default_backend_exception_handler(exception)


def unavailable_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            page_title("unavailable.title"),
            rx.text(t("unavailable.body")),
            rx.link(t("unavailable.home"), href="/"),
            spacing="4",
            max_width="640px",
        )
    )
