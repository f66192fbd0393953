"""The view of /dev/mailbox (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import column
from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.text import t
from ogp_app.pages.staff.dev_mailbox.state import DevMailboxState
from ogp_app.services.development.dev_mailbox import (
    BodyPart,
    MailboxEntry,
)


def _body_part(part: rx.Var[BodyPart]) -> rx.Component:
    return rx.cond(
        part.href != "",  # type: ignore[attr-defined]
        rx.link(part.text, href=part.href, weight="medium"),  # type: ignore[attr-defined]
        rx.text(part.text, as_="span"),  # type: ignore[attr-defined]
    )


def _status(status: rx.Var[str]) -> rx.Component:
    return rx.badge(
        rx.match(
            status,
            ("sent", t("mailbox.status.sent")),
            ("failed", t("mailbox.status.failed")),
            t("mailbox.status.pending"),
        ),
        color_scheme=rx.match(status, ("sent", "green"), ("failed", "red"), "gray"),
    )


def _message(entry: rx.Var[MailboxEntry]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(entry.subject, as_="h2", size="4"),  # type: ignore[attr-defined]
            rx.data_list.root(
                rx.data_list.item(
                    rx.data_list.label(t("mailbox.to")),
                    rx.data_list.value(entry.recipient),  # type: ignore[attr-defined]
                ),
                rx.data_list.item(
                    rx.data_list.label(t("mailbox.created")),
                    rx.data_list.value(entry.created),  # type: ignore[attr-defined]
                ),
                rx.data_list.item(
                    rx.data_list.label(t("mailbox.status")),
                    rx.data_list.value(_status(entry.status)),  # type: ignore[attr-defined]
                ),
                size="2",
            ),
            rx.box(
                rx.foreach(entry.body, _body_part),  # type: ignore[attr-defined]
                white_space="pre-wrap",
                overflow_wrap="anywhere",
                font_family="var(--code-font-family)",
                font_size="0.9rem",
            ),
            spacing="3",
        ),
        width="100%",
    )


def dev_mailbox_page() -> rx.Component:
    mailbox = column(
        rx.text(t("mailbox.intro")),
        rx.button(t("mailbox.refresh"), on_click=DevMailboxState.load_mailbox, variant="outline"),
        rx.cond(DevMailboxState.messages.length() == 0, rx.text(t("mailbox.empty"))),  # type: ignore[attr-defined]
        rx.foreach(DevMailboxState.messages, _message),
    )
    return page_frame(
        rx.vstack(
            page_title("mailbox.title"),
            rx.cond(
                DevMailboxState.available,
                rx.cond(
                    DevMailboxState.needs_demo_login,
                    rx.callout(
                        rx.link(t("mailbox.demo_login_needed"), href="/login"),
                        icon="lock",
                        color_scheme="amber",
                    ),
                    mailbox,
                ),
                rx.callout(t("mailbox.unavailable"), icon="info"),
            ),
            spacing="4",
            max_width="840px",
        )
    )
