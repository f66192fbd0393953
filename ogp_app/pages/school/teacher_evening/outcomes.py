"""/teacher/evening after the conversation: what the page shows of each outcome, and the changes its
handlers hand to the boundary (services.rounds.outcomes does the checking)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ogp_app.models.outcomes import NOTE_MAX, SUMMARY_MAX
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import Call
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.outcomes import Outcome, mark_attendance, may_mark, write_note
from ogp_app.services.rounds.views import EveningRow
from ogp_app.state.form_input import required_text


def outcome_fields(outcome: Outcome | None, row: EveningRow, now: datetime) -> dict[str, Any]:
    """A row's marks: the buttons from the conversation's day on, and what was written."""
    can_mark = row.status == "booked" and may_mark(row.starts_at, now)
    if outcome is None:
        return {"can_mark": can_mark}
    return {
        "can_mark": can_mark,
        "attendance": outcome.attendance,
        "outcome_note": outcome.note,
        "follow_up": outcome.follow_up_on.isoformat() if outcome.follow_up_on else "",
        "summary": outcome.family_summary,
    }


def marking(booking_id: int, attendance: str) -> Callable[[Call], object]:
    return lambda call: mark_attendance(
        call.db, actor=Actor.from_identity(call.identity), booking_id=booking_id, attendance=attendance
    )


@dataclass(frozen=True)
class NoteInput:
    """The note form as submitted: any client can send anything, so read each field with its limit."""

    note: str
    follow_up_on: date | None
    summary: str

    @classmethod
    def read(cls, form: Any) -> NoteInput:
        note = required_text(form, "outcome_note", NOTE_MAX)
        summary = required_text(form, "outcome_summary", SUMMARY_MAX)
        raw = required_text(form, "outcome_follow_up", 10)
        try:
            follow_up = date.fromisoformat(raw) if raw else None
        except ValueError as error:
            raise InvalidInput("follow-up date", message_key="outcomes.error.date") from error
        return cls(note, follow_up, summary)

    def save(self, booking_id: int) -> Callable[[Call], object]:
        return lambda call: write_note(
            call.db,
            actor=Actor.from_identity(call.identity),
            booking_id=booking_id,
            note=self.note,
            follow_up_on=self.follow_up_on,
            family_summary=self.summary,
        )


def note_saving(form_data: Any, booking_id: int) -> Callable[[Call], object]:
    """The note form saved: read inside the boundary, after the caller is known (a stranger's bad form
    gets no message)."""
    return lambda call: NoteInput.read(form_data).save(booking_id)(call)
