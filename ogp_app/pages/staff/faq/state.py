"""/staff/faq: add, change and remove FAQ entries (Dutch and English both required)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.pages.staff.row_ids import row_id
from ogp_app.services.handler_calls import Call
from ogp_app.services.staff import faq
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text
from ogp_app.state.staff import STAFF

FIELDS = ("audience", "question_nl", "answer_nl", "question_en", "answer_en", "position")


@dataclass(frozen=True)
class FaqLine:
    id: str
    audience: str
    question_nl: str
    answer_nl: str
    question_en: str
    answer_en: str
    position: str


class StaffFaqState(AppState):
    entries: list[FaqLine] = []
    faq_notice: Notice = NO_NOTICE
    form_key: str = "0"

    def _fill(self, entries: list[FaqLine]) -> None:
        self.entries = entries
        self.form_key = str(int(self.form_key) + 1)

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self._fill(await self._call(STAFF, _entries))
            self.faq_notice = NO_NOTICE

    @rx.event
    async def save(self, form_data: dict[str, Any]) -> None:
        """Save the entry of this form: ``entry_id`` "" adds a new one."""
        with self._handled(notice="faq_notice"):
            self._fill(await self._call(STAFF, lambda call: _save(call, form_data)))
            self.faq_notice = notice("staff.faq.saved")

    @rx.event
    async def delete(self, entry_id: str) -> None:
        with self._handled(notice="faq_notice"):
            self._fill(await self._call(STAFF, lambda call: _delete(call, entry_id)))
            self.faq_notice = notice("staff.faq.deleted")


def _entries(call: Call) -> list[FaqLine]:
    return [
        FaqLine(
            id=str(e.id),
            audience=e.audience,
            question_nl=e.question_nl,
            answer_nl=e.answer_nl,
            question_en=e.question_en,
            answer_en=e.answer_en,
            position=str(e.position),
        )
        for e in faq.entries(call.db)
    ]


def _save(call: Call, form_data: Any) -> list[FaqLine]:
    raw_id = required_text(form_data, "entry_id", 12)
    entry_id = row_id(raw_id, faq.UnknownFaq) if raw_id else None  # none: a new entry
    values = {name: required_text(form_data, name, faq.ANSWER_MAX * 2) for name in FIELDS}
    faq.save_entry(call.db, entry_id=entry_id, **values)
    return _entries(call)


def _delete(call: Call, entry_id: Any) -> list[FaqLine]:
    faq.delete_entry(call.db, entry_id=row_id(entry_id, faq.UnknownFaq))
    return _entries(call)
