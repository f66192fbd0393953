"""The frame of the staff back office: its sub-navigation and the "no access" view."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import column
from ogp_app.components.layout import page_title
from ogp_app.components.school_parts import access_page
from ogp_app.components.text import t
from ogp_app.state.staff import StaffGateState

SEP = " · "  # between parts of one line (time · name); not words, no translation

STAFF_LINKS = [
    ("staff.nav.schools", "/staff"),
    ("staff.nav.inbox", "/staff/inbox"),
    ("staff.nav.reviews", "/staff/reviews"),
    ("staff.nav.stats", "/staff/stats"),
    ("staff.nav.faq", "/staff/faq"),
    ("staff.nav.policies", "/staff/policies"),
    ("staff.nav.disclosures", "/staff/disclosures"),
]


def _staff_nav() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *[rx.link(t(key), href=href, weight="medium", high_contrast=True) for key, href in STAFF_LINKS],
            gap="1rem",
            wrap="wrap",
        ),
        aria_label=t("staff.title"),
        padding_bottom="0.75rem",
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
    )


def staff_frame(title_key: str, *children: rx.Component) -> rx.Component:
    granted = column(_staff_nav(), page_title(title_key), *children)
    return access_page(StaffGateState.access, granted, title_key=title_key, prefix="staff")


def text_area(input_id: str, **props: object) -> rx.Component:
    return rx.text_area(id=input_id, name=input_id, size="3", width="100%", rows="5", **props)


def badge(label: rx.Var | str, color: rx.Var | str = "gray") -> rx.Component:
    return rx.badge(label, color_scheme=color, size="2", high_contrast=True)


def status_badge(status: Any, prefix: str, colors: dict[str, str], rest: tuple[str, str]) -> rx.Component:
    """A badge saying ``{prefix}.{status}`` in the colour ``colors`` gives it; any other status is
    ``rest`` (its value and colour)."""
    return badge(
        rx.match(status, *((value, t(f"{prefix}.{value}")) for value in colors), t(f"{prefix}.{rest[0]}")),
        rx.match(status, *colors.items(), rest[1]),
    )
