"""/staff/inbox: contact messages by status; take one in progress or answer it by e-mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.pages.staff.row_ids import row_id
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
    contact.set_status(call.db, message_id=row_id(message_id, contact.UnknownMessage), status=status)
    return _lines(call, shown)


def _reply(call: Call, form_data: Any, shown: str) -> list[InboxLine]:
    raw_id = required_text(form_data, "message_id", 12)
    body = required_text(form_data, "reply", contact.REPLY_MAX * 2)
    message_id = row_id(raw_id, contact.UnknownMessage)
    contact.reply(call.db, message_id=message_id, staff_user_id=call.identity.user_id, body=body)
    return _lines(call, shown)
