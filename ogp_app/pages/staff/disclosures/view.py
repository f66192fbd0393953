"""The view of /staff/disclosures (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, input_field, section
from ogp_app.components.staff import staff_frame, text_area
from ogp_app.components.text import t
from ogp_app.pages.staff.disclosures.state import StaffDisclosuresState
from ogp_app.services.privacy.disclosures import AUTHORITY_MAX, SCOPE_MAX


def staff_disclosures_page() -> rx.Component:
    s = StaffDisclosuresState
    return staff_frame(
        "staff.disclosure.title",
        section(
            "staff.disclosure.form",
            rx.text(t("staff.disclosure.help"), size="2"),
            form_stack(
                input_field(
                    "staff.disclosure.authority", "authority", required=True, max_length=AUTHORITY_MAX
                ),
                input_field("staff.disclosure.date", "date", type="date", required=True),
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
                submit("staff.disclosure.submit"),
                on_submit=s.record,
                stack={"max_width": "640px"},
                key=s.form_key,
            ),
            notice_view(s.disclosure_notice),
            id="staff-disclosure",
        ),
    )
