"""/staff/disclosures: record a disclosure the law forced on us (the same service as
``ogp disclosure record``); every person concerned is e-mailed and sees it in their privacy centre."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, section, text_input
from ogp_app.components.staff import staff_frame, text_area
from ogp_app.components.text import t
from ogp_app.core.db import unscoped
from ogp_app.services.errors import InvalidInput, NotAuthenticated, PermissionDenied
from ogp_app.services.privacy.disclosures import AUTHORITY_MAX, SCOPE_MAX, record_disclosure
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text
from ogp_app.state.staff import require_staff

SUBJECTS_MAX = 20_000
FIELDS = ("authority", "date", "scope", "subjects")


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
        try:
            require_staff(self)
        except (NotAuthenticated, PermissionDenied):
            self.reset()
            return
        self.disclosure_notice = NO_NOTICE

    @rx.event
    def record(self, form_data: dict[str, Any]) -> None:
        """Record one disclosure; nothing is written (or mailed) unless every field is right."""
        try:
            identity = require_staff(self)
            authority = required_text(form_data, "authority", AUTHORITY_MAX * 2)
            raw_date = required_text(form_data, "date", 10)
            scope = required_text(form_data, "scope", SCOPE_MAX * 2)
            subjects = required_text(form_data, "subjects", SUBJECTS_MAX)
            try:
                disclosed_on = date.fromisoformat(raw_date)
            except ValueError:
                raise InvalidInput("date: give the date as YYYY-MM-DD") from None
            emails = [e for e in subjects.replace(",", "\n").replace(";", "\n").split() if e]
            with unscoped() as db:  # the people concerned may belong to any school
                record_disclosure(
                    db,
                    staff_user_id=identity.user_id,
                    authority=authority,
                    disclosed_on=disclosed_on,
                    scope=scope,
                    subject_emails=emails,
                )
        except (NotAuthenticated, PermissionDenied):
            self.reset()
            return
        except InvalidInput as error:
            self.disclosure_notice = _error(error)
            return
        self.disclosure_notice = notice("staff.disclosure.recorded", count=len(set(emails)))
        self.form_key = str(int(self.form_key) + 1)


def staff_disclosures_page() -> rx.Component:
    s = StaffDisclosuresState
    return staff_frame(
        "staff.disclosure.title",
        section(
            "staff.disclosure.form",
            rx.text(t("staff.disclosure.help"), size="2"),
            rx.el.form(
                rx.vstack(
                    field(
                        "staff.disclosure.authority",
                        "authority",
                        text_input("authority", required=True, max_length=AUTHORITY_MAX),
                    ),
                    field("staff.disclosure.date", "date", text_input("date", type="date", required=True)),
                    field(
                        "staff.disclosure.scope",
                        "scope",
                        text_area("scope", required=True, max_length=SCOPE_MAX),
                    ),
                    field(
                        "staff.disclosure.subjects",
                        "subjects",
                        text_area("subjects", required=True, aria_describedby="subjects-help"),
                        help_key="staff.disclosure.subjects_help",
                    ),
                    rx.button(t("staff.disclosure.submit"), type="submit", high_contrast=True, size="3"),
                    spacing="3",
                    width="100%",
                    max_width="640px",
                ),
                on_submit=s.record,
                key=s.form_key,
                width="100%",
            ),
            notice_view(s.disclosure_notice),
            id="staff-disclosure",
        ),
    )
