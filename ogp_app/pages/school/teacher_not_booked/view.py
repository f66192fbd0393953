"""The view of /teacher/not-booked (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import or_empty
from ogp_app.components.layout import gated_page
from ogp_app.components.text import t
from ogp_app.pages.school.not_booked import not_booked_list
from ogp_app.pages.school.teacher_not_booked.state import TeacherNotBookedState


def teacher_not_booked_page() -> rx.Component:
    S = TeacherNotBookedState
    return gated_page(
        "households.not_booked.title",
        S.access == "denied",
        "evening.no_access",
        rx.vstack(
            rx.text(t("households.not_booked.teacher_help"), size="2"),
            or_empty(S.classes, not_booked_list(S.classes), "households.not_booked.nothing"),
            rx.link(t("households.not_booked.back"), href="/teacher/evening"),
            spacing="3",
            width="100%",
        ),
    )
