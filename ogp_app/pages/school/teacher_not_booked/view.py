"""The view of /teacher/not-booked (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.pages.school.not_booked import not_booked_list
from ogp_app.pages.school.teacher_not_booked.state import TeacherNotBookedState


def teacher_not_booked_page() -> rx.Component:
    S = TeacherNotBookedState
    return page_frame(
        rx.vstack(
            rx.heading(t("households.not_booked.title"), as_="h1", size="7"),
            rx.cond(
                S.access == "denied",
                rx.text(t("evening.no_access")),
                rx.vstack(
                    rx.text(t("households.not_booked.teacher_help"), size="2"),
                    rx.cond(
                        S.classes.length() > 0,  # type: ignore[attr-defined]
                        not_booked_list(S.classes),
                        rx.text(t("households.not_booked.nothing")),
                    ),
                    rx.link(t("households.not_booked.back"), href="/teacher/evening"),
                    spacing="3",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
