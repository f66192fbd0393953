"""The view of /teacher/not-booked (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import or_empty
from ogp_app.components.layout import gated_page
from ogp_app.components.settings_forms import link_button, section
from ogp_app.components.text import t
from ogp_app.pages.school.not_booked import not_booked_list
from ogp_app.pages.school.teacher_not_booked.state import TeacherNotBookedState


def _unseen_row(u: Any) -> rx.Component:
    return rx.flex(
        rx.text(u.family, ", ", u.class_name, size="2", flex="1 1 14rem"),
        link_button("unseen.invite", u.invite_href, variant="outline"),
        gap="0.5rem",
        wrap="wrap",
        align="center",
        padding_y="0.4rem",
        border_top="1px solid var(--gray-a5)",
        class_name="unseen-family",
    )


def _unseen() -> rx.Component:
    """Families of the teacher's classes the school has not spoken to this school year: invite them."""
    S = TeacherNotBookedState
    return section(
        "unseen.title",
        rx.text(t("unseen.help"), size="2", color_scheme="gray"),
        or_empty(S.unseen, rx.box(rx.foreach(S.unseen, _unseen_row), width="100%"), "unseen.nothing"),
        id="not-seen",
    )


def teacher_not_booked_page() -> rx.Component:
    S = TeacherNotBookedState
    return gated_page(
        "households.not_booked.title",
        S.access == "denied",
        "evening.no_access",
        rx.vstack(
            rx.text(t("households.not_booked.teacher_help"), size="2"),
            or_empty(S.classes, not_booked_list(S.classes), "households.not_booked.nothing"),
            _unseen(),
            rx.link(t("households.not_booked.back"), href="/teacher/evening"),
            spacing="3",
            width="100%",
        ),
    )
