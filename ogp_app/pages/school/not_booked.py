"""Who has not booked, per class: display rows and the list the round page (admin) and
/teacher/not-booked (a teacher's own classes) show. Class ids stay on the server behind random keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.blocks import card_list, card_stack, or_empty
from ogp_app.components.text import both, t
from ogp_app.pages.shared.meeting_views import Both, new_key, when
from ogp_app.services.rounds.progress import ClassFamilies

SEP, OF = ", ", " / "  # separators, not words


@dataclass(frozen=True)
class FamilyRow:
    pupil: str
    guardians: str
    missing: str  # the teachers still to book
    last_reminder: Both  # empty when never reminded


@dataclass(frozen=True)
class ClassRow:
    key: str
    class_name: str
    pupils: int
    booked: int
    families: list[FamilyRow]


def class_rows(groups: list[ClassFamilies]) -> tuple[list[ClassRow], dict[str, int]]:
    """Rows for the page and key -> class id for the server."""
    rows: list[ClassRow] = []
    keys: dict[str, int] = {}
    for group in groups:
        key = new_key()
        keys[key] = group.class_id
        families = [
            FamilyRow(
                f.pupil, SEP.join(f.guardians), SEP.join(f.missing), when(f.last_reminder, "d MMMM, HH:mm")
            )
            for f in group.families
        ]
        rows.append(ClassRow(key, group.class_name, group.pupils, group.booked, families))
    return rows, keys


def _family(row: Any) -> rx.Component:
    return rx.el.li(
        rx.text(row.pupil, weight="bold"),
        rx.text(
            t("households.not_booked.guardians"),
            " ",
            rx.cond(row.guardians != "", row.guardians, t("households.not_booked.no_guardian")),
            size="2",
        ),
        rx.text(t("households.not_booked.missing"), " ", row.missing, size="2"),
        rx.text(
            t("households.not_booked.last_reminder"),
            " ",
            rx.cond(row.last_reminder.nl != "", both(row.last_reminder), t("households.not_booked.never")),
            size="2",
            color_scheme="gray",
        ),
        style={"marginBottom": "0.6rem", "overflowWrap": "anywhere"},
    )


def not_booked_list(classes: Any, remind: Any = None) -> rx.Component:
    """One card per class: its families still to book; ``remind(key)``: the admin's button per class."""

    def card(group: Any) -> rx.Component:
        return card_stack(
            rx.heading(group.class_name, as_="h3", size="4"),
            rx.text(t("round.progress.booked"), " ", group.booked, OF, group.pupils, size="2"),
            or_empty(
                group.families,
                rx.el.ul(
                    rx.foreach(group.families, _family),
                    style={"margin": "0", "paddingLeft": "1.1rem", "width": "100%"},
                ),
                "households.not_booked.all_booked",
                size="2",
            ),
            *(
                []
                if remind is None
                else [
                    rx.cond(
                        group.families.length() > 0,
                        rx.button(
                            t("households.not_booked.remind"),
                            on_click=remind(group.key),
                            variant="soft",
                            size="3",
                            high_contrast=True,
                            # a long label wraps on a phone: the button grows with it
                            style={"height": "auto", "whiteSpace": "normal", "paddingBlock": "0.5rem"},
                        ),
                    )
                ]
            ),
            spacing="2",
        )

    return card_list(classes, card, class_name="not-booked")
