"""The view of /staff/inbox (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import card_list, card_stack, or_empty
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import form_stack
from ogp_app.components.staff import SEP, staff_frame, status_badge
from ogp_app.components.text import t
from ogp_app.pages.staff.inbox.state import InboxLine, StaffInboxState
from ogp_app.services.staff import contact


def _status(status: Any) -> rx.Component:
    return status_badge(
        status, "staff.inbox.status", {"new": "amber", "in_progress": "blue"}, ("answered", "green")
    )


def topic_text(topic: Any) -> rx.Component:
    return rx.match(
        topic,
        ("question", t("contact.topic.question")),
        ("privacy_request", t("contact.topic.privacy_request")),
        ("complaint", t("contact.topic.complaint")),
        t("contact.topic.data_request_on_behalf"),
    )


def _filters() -> rx.Component:
    def choice(value: str, key: str) -> rx.Component:
        selected = StaffInboxState.status_filter == value
        return rx.button(
            t(key),
            on_click=StaffInboxState.show(value),  # type: ignore[operator]
            variant=rx.cond(selected, "solid", "outline"),
            aria_pressed=rx.cond(selected, "true", "false"),
            high_contrast=True,
        )

    return rx.flex(
        rx.text(t("staff.inbox.filter"), weight="medium"),
        choice("", "staff.inbox.all"),
        choice("new", "staff.inbox.status.new"),
        choice("in_progress", "staff.inbox.status.in_progress"),
        choice("answered", "staff.inbox.status.answered"),
        gap="0.5rem",
        wrap="wrap",
        align="center",
        role="group",
        aria_label=t("staff.inbox.filter"),
    )


def _message(row: rx.Var[InboxLine]) -> rx.Component:
    m: Any = row
    reply_id = "reply-" + m.id
    return card_stack(
        rx.flex(
            rx.vstack(
                rx.text(m.name, weight="bold"),
                rx.text(m.email, size="2", word_break="break-all"),
                rx.text(m.at, SEP, topic_text(m.topic), size="2"),
                spacing="1",
                min_width="0",
            ),
            _status(m.status),
            justify="between",
            gap="0.75rem",
            wrap="wrap",
            width="100%",
        ),
        rx.text(m.message, white_space="pre-wrap", class_name="contact-text"),
        rx.cond(
            m.replies.length() > 0,
            rx.vstack(
                rx.text(t("staff.inbox.replies"), weight="medium", size="2"),
                rx.foreach(
                    m.replies,
                    lambda r: rx.box(
                        rx.text(r.at, SEP, r.staff_name, size="1"),
                        rx.text(r.body, white_space="pre-wrap", size="2"),
                        border_left="3px solid var(--gray-a6)",
                        padding_left="0.6rem",
                    ),
                ),
                width="100%",
            ),
        ),
        rx.cond(
            m.status == "new",
            rx.button(
                t("staff.inbox.mark_in_progress"),
                on_click=StaffInboxState.mark(m.id, "in_progress"),  # type: ignore[operator]
                variant="outline",
                high_contrast=True,
            ),
        ),
        form_stack(
            rx.el.input(type="hidden", name="message_id", value=m.id),
            rx.el.label(t("staff.inbox.reply"), html_for=reply_id, font_weight="500"),
            rx.text_area(
                id=reply_id,
                name="reply",
                required=True,
                max_length=contact.REPLY_MAX,
                rows="4",
                width="100%",
                size="3",
            ),
            rx.button(t("staff.inbox.send_reply"), type="submit", high_contrast=True),
            on_submit=StaffInboxState.reply,
            spacing="2",
            reset_on_submit=True,
        ),
        class_name="inbox-message",
    )


def staff_inbox_page() -> rx.Component:
    return staff_frame(
        "staff.inbox.title",
        _filters(),
        notice_view(StaffInboxState.inbox_notice),
        or_empty(
            StaffInboxState.messages,
            card_list(StaffInboxState.messages, _message, key=StaffInboxState.form_key),
            "staff.inbox.empty",
        ),
    )
