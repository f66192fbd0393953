"""/staff/disclosures: record a disclosure the law forced on us (the same service as
``ogp disclosure record``); every person concerned is e-mailed and sees it in their privacy centre."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.privacy.disclosures import AUTHORITY_MAX, SCOPE_MAX, record_disclosure
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text

SUBJECTS_MAX = 20_000


FIELDS = ("authority", "date", "scope", "subjects")


ANY_SCHOOL = Access(staff=True, unscoped="the people concerned may belong to any school")


def _error(error: InvalidInput) -> Notice:
    """The service names the field first ("scope: ..."); unknown accounts are listed by e-mail."""
    text = str(error)
    name, _, rest = text.partition(":")
    if name not in FIELDS:
        return notice("error.invalid_input", kind="error")
    if name == "subjects" and "no account for" in rest:
        emails = rest.split("no account for", 1)[1].strip()
        return notice("staff.disclosure.error.unknown", kind="error", emails=emails)
    return notice(f"staff.disclosure.error.{name}", kind="error")


class StaffDisclosuresState(AppState):
    disclosure_notice: Notice = NO_NOTICE
    form_key: str = "0"

    @rx.event
    def load(self) -> None:
        with self._handled():
            self._require(staff=True)
            self.disclosure_notice = NO_NOTICE

    @rx.event
    async def record(self, form_data: dict[str, Any]) -> None:
        """Record one disclosure; nothing is written (or mailed) unless every field is right."""
        with self._handled():
            try:
                count = await self._call(ANY_SCHOOL, lambda call: _record(call, form_data))
            except InvalidInput as error:
                self.disclosure_notice = _error(error)
                return
            self.disclosure_notice = notice("staff.disclosure.recorded", count=count)
            self.form_key = str(int(self.form_key) + 1)


def _record(call: Call, form_data: Any) -> int:
    """Record the form's disclosure (read only after the staff check); how many people it concerns."""
    authority = required_text(form_data, "authority", AUTHORITY_MAX * 2)
    raw_date = required_text(form_data, "date", 10)
    scope = required_text(form_data, "scope", SCOPE_MAX * 2)
    subjects = required_text(form_data, "subjects", SUBJECTS_MAX)
    try:
        disclosed_on = date.fromisoformat(raw_date)
    except ValueError:
        raise InvalidInput("date: give the date as YYYY-MM-DD") from None
    emails = [e for e in subjects.replace(",", "\n").replace(";", "\n").split() if e]
    record_disclosure(
        call.db,
        staff_user_id=call.identity.user_id,
        authority=authority,
        disclosed_on=disclosed_on,
        scope=scope,
        subject_emails=emails,
    )
    return len(set(emails))
