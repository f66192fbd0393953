"""The view of /school/rounds (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import card_list, column, or_empty
from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.forms import submit
from ogp_app.components.layout import gated_page
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, input_field, section, select_box
from ogp_app.components.text import both, t
from ogp_app.pages.school.rounds.state import SchoolRoundsState
from ogp_app.pages.shared.round_downloads import round_downloads


def _round_card(r: Any) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(r.name, as_="h3", size="4"),
            rx.badge(
                rx.match(
                    r.status,
                    ("open", t("rounds.status.open")),
                    ("closed", t("rounds.status.closed")),
                    t("rounds.status.draft"),
                ),
                high_contrast=True,
                size="2",
            ),
            rx.text(
                t("rounds.window"),
                " ",
                both(r.opens),
                " ",
                t("rounds.until"),
                " ",
                both(r.closes),
                size="2",
            ),
            rx.text(t("rounds.progress"), " ", r.progress, size="2"),
            rx.link(t("round.details"), href=r.detail_href, size="3", weight="medium"),
            round_downloads(r.export_base),
            rx.hstack(
                rx.cond(
                    r.status == "open",
                    rx.button(
                        t("rounds.close"),
                        on_click=SchoolRoundsState.close_round(r.key),  # type: ignore[operator]
                        variant="outline",
                        size="3",
                        high_contrast=True,
                    ),
                    confirm_dialog(
                        rx.button(t("rounds.open"), size="3", high_contrast=True),
                        title_key="confirm.round_open.title",
                        body=rx.fragment(
                            rx.text(r.name, weight="bold"),
                            rx.text(both(r.open_note)),
                        ),
                        confirm_key="confirm.round_open.action",
                        on_confirm=SchoolRoundsState.open_round(r.key),  # type: ignore[operator]
                        danger=False,
                    ),
                ),
                rx.button(
                    t("rounds.remind"),
                    on_click=SchoolRoundsState.remind(r.key),  # type: ignore[operator]
                    variant="soft",
                    size="3",
                    high_contrast=True,
                    # a long label wraps inside the card on a phone instead of running off its edge
                    white_space="normal",
                    height="auto",
                    min_height="var(--space-7)",
                    max_width="100%",
                ),
                wrap="wrap",
            ),
            spacing="2",
        ),
        width="100%",
    )


def _create_form() -> rx.Component:
    return section(
        "rounds.create.title",
        form_stack(
            input_field("rounds.field.name", "name", required=True, max_length=120),
            field(
                "rounds.field.kind",
                "meeting_kind",
                select_box(
                    "meeting_kind",
                    rx.el.option(t("rounds.kind.mentor"), value="mentor"),
                    rx.el.option(t("rounds.kind.subject"), value="subject"),
                    default_value="mentor",
                ),
            ),
            rx.el.fieldset(
                rx.el.legend(t("rounds.field.classes"), font_weight="500"),
                rx.flex(
                    rx.foreach(
                        SchoolRoundsState.classes,
                        lambda c: rx.el.label(
                            rx.el.input(type="checkbox", name="class_" + c.key),
                            " ",
                            c.name,
                            display="flex",
                            gap="0.4rem",
                            align_items="center",
                            min_height="32px",
                        ),
                    ),
                    wrap="wrap",
                    gap="1rem",
                ),
                border="none",
                padding="0",
            ),
            rx.grid(
                input_field("rounds.field.day1", "day1", type="date", required=True),
                input_field(
                    "rounds.field.start", "day1_start", type="time", required=True, default_value="18:00"
                ),
                input_field(
                    "rounds.field.end", "day1_end", type="time", required=True, default_value="21:00"
                ),
                input_field("rounds.field.day2", "day2", type="date"),
                input_field("rounds.field.start2", "day2_start", type="time", default_value="18:00"),
                input_field("rounds.field.end2", "day2_end", type="time", default_value="21:00"),
                columns={"initial": "1", "sm": "3"},
                gap="0.75rem",
                width="100%",
            ),
            rx.grid(
                input_field(
                    "rounds.field.slot_minutes",
                    "slot_minutes",
                    type="number",
                    min=5,
                    max=60,
                    default_value="10",
                    required=True,
                ),
                input_field(
                    "rounds.field.gap", "gap_minutes", type="number", min=0, max=120, default_value="0"
                ),
                columns={"initial": "1", "sm": "2"},
                gap="0.75rem",
                width="100%",
            ),
            rx.grid(
                input_field("rounds.field.opens", "opens_at", type="datetime-local", required=True),
                input_field("rounds.field.closes", "closes_at", type="datetime-local", required=True),
                input_field("rounds.field.cancel_until", "cancel_until", type="datetime-local"),
                columns={"initial": "1", "sm": "3"},
                gap="0.75rem",
                width="100%",
            ),
            submit("rounds.create.submit"),
            on_submit=SchoolRoundsState.create,
            key=SchoolRoundsState.form_key,
        ),
        notice_view(SchoolRoundsState.form_notice),
        id="round-create",
    )


def school_rounds_page() -> rx.Component:
    return gated_page(
        "rounds.title",
        SchoolRoundsState.access == "denied",
        "rounds.no_access",
        column(
            notice_view(SchoolRoundsState.list_notice),
            or_empty(
                SchoolRoundsState.rounds,
                card_list(SchoolRoundsState.rounds, _round_card, id="rounds"),
                "rounds.none",
            ),
            _create_form(),
        ),
    )
