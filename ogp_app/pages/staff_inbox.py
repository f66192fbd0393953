"""/staff/inbox: contact messages by status; take one in progress or answer it by e-mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.staff import SEP, badge, staff_frame
from ogp_app.components.text import t
from ogp_app.services.handler_calls import Call
from ogp_app.services.staff import contact
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text
from ogp_app.state.staff import STAFF, display_time

FILTERS = ("", "new", "in_progress", "answered")


@dataclass(frozen=True)
class ReplyLine:
    body: str
    at: str
    staff_name: str


@dataclass(frozen=True)
class InboxLine:
    id: str
    name: str
    email: str
    topic: str
    message: str
    status: str
    at: str
    replies: list[ReplyLine] = field(default_factory=list)


class StaffInboxState(AppState):
    messages: list[InboxLine] = []
    status_filter: str = ""
    inbox_notice: Notice = NO_NOTICE
    form_key: str = "0"

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self.messages = await self._call(STAFF, lambda call: _lines(call, ""))
            self.status_filter, self.inbox_notice = "", NO_NOTICE

    @rx.event
    async def show(self, status: str) -> None:
        """Filter the list: "" (all), new, in_progress or answered."""
        with self._handled():
            known = isinstance(status, str) and status in FILTERS  # else: checked, nothing changes
            lines = await self._call(STAFF, lambda call: _lines(call, status) if known else None)
            if lines is not None:
                self.status_filter, self.messages = status, lines

    @rx.event
    async def mark(self, message_id: str, status: str) -> None:
        shown = self.status_filter
        with self._handled(notice="inbox_notice"):
            self.messages = await self._call(STAFF, lambda call: _mark(call, message_id, status, shown))
            self.inbox_notice = NO_NOTICE

    @rx.event
    async def reply(self, form_data: dict[str, Any]) -> None:
        """E-mail a reply to the sender (in their language); the message becomes "answered"."""
        shown = self.status_filter
        with self._handled(notice="inbox_notice"):
            self.messages = await self._call(STAFF, lambda call: _reply(call, form_data, shown))
            self.inbox_notice = notice("staff.inbox.replied")
            # Only a sent reply empties the reply boxes: marking a status or filtering keeps what staff typed.
            self.form_key = str(int(self.form_key) + 1)


# The handlers' work (in a worker thread, after the staff check): arguments are read only then, so a
# caller who is refused gets no notice about them. Each returns the list as it is now, filtered by ``shown``.


def _lines(call: Call, shown: str) -> list[InboxLine]:
    return [
        InboxLine(
            id=str(i.id),
            name=i.name,
            email=i.email,
            topic=i.topic,
            message=i.message,
            status=i.status,
            at=display_time(i.created_at),
            replies=[
                ReplyLine(body=r.body, at=display_time(r.created_at), staff_name=r.staff_name)
                for r in i.replies
            ],
        )
        for i in contact.inbox(call.db, status=shown or None)
    ]


def _mark(call: Call, message_id: Any, status: Any, shown: str) -> list[InboxLine]:
    if not isinstance(message_id, str) or not message_id.isdigit() or len(message_id) > 12:
        raise contact.UnknownMessage()
    contact.set_status(call.db, message_id=int(message_id), status=status)
    return _lines(call, shown)


def _reply(call: Call, form_data: Any, shown: str) -> list[InboxLine]:
    message_id = required_text(form_data, "message_id", 12)
    body = required_text(form_data, "reply", contact.REPLY_MAX * 2)
    if not message_id.isdigit():
        raise contact.UnknownMessage()
    contact.reply(call.db, message_id=int(message_id), staff_user_id=call.identity.user_id, body=body)
    return _lines(call, shown)


# --- the page ---------------------------------------------------------------------------------------


def status_badge(status: Any) -> rx.Component:
    return badge(
        rx.match(
            status,
            ("new", t("staff.inbox.status.new")),
            ("in_progress", t("staff.inbox.status.in_progress")),
            t("staff.inbox.status.answered"),
        ),
        rx.match(status, ("new", "amber"), ("in_progress", "blue"), "green"),
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
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(m.name, weight="bold"),
                    rx.text(m.email, size="2", word_break="break-all"),
                    rx.text(m.at, SEP, topic_text(m.topic), size="2"),
                    spacing="1",
                    min_width="0",
                ),
                status_badge(m.status),
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
            rx.el.form(
                rx.vstack(
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
                    spacing="2",
                    width="100%",
                ),
                on_submit=StaffInboxState.reply,
                reset_on_submit=True,
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="inbox-message",
    )


def staff_inbox_page() -> rx.Component:
    return staff_frame(
        "staff.inbox.title",
        _filters(),
        notice_view(StaffInboxState.inbox_notice),
        rx.cond(
            StaffInboxState.messages.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                rx.foreach(StaffInboxState.messages, _message),
                spacing="3",
                width="100%",
                key=StaffInboxState.form_key,
            ),
            rx.text(t("staff.inbox.empty")),
        ),
    )
