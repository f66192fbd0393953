"""/school/round: the schedule panel (window, teacher, room, hours, breaks, the slot grid)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import card_list, card_stack
from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import (
    SELECT_STYLE,
    form_stack,
    input_field,
    section,
    select_box,
)
from ogp_app.components.text import both, t
from ogp_app.pages.school.round.state import SchoolRoundState as S


def _notice(name: str) -> rx.Component:
    return rx.cond(S.notices.contains(name), notice_view(S.notices[name]), rx.fragment())  # type: ignore[attr-defined]


def _button(label_key: str, **props: Any) -> rx.Component:
    props.setdefault("size", "2")
    return rx.button(t(label_key), high_contrast=True, **props)


def _window() -> rx.Component:
    return section(
        "round.window.title",
        form_stack(
            rx.grid(
                input_field(
                    "rounds.field.opens", "opens", type="datetime-local", default_value=S.opens, required=True
                ),
                input_field(
                    "rounds.field.closes",
                    "closes",
                    type="datetime-local",
                    default_value=S.closes,
                    required=True,
                ),
                input_field(
                    "rounds.field.cancel_until",
                    "cancel_until",
                    type="datetime-local",
                    default_value=S.cancel_until,
                ),
                input_field("rounds.field.gap", "gap", type="number", min=0, max=120, default_value=S.gap),
                columns={"initial": "1", "sm": "2"},
                gap="0.75rem",
                width="100%",
            ),
            _button("round.window.save", type="submit", size="3"),
            on_submit=S.save_window,
            key=S.opens + S.closes + S.cancel_until + S.gap,
        ),
        _notice("window"),
        id="round-window",
    )


def _teacher_picker() -> rx.Component:
    return rx.vstack(
        rx.el.label(t("round.teacher"), html_for="teacher", font_weight="500"),
        select_box(
            "teacher",
            rx.foreach(S.teachers, lambda o: rx.el.option(o.label, value=o.key)),
            value=S.teacher_key,
            on_change=S.pick_teacher,
        ),
        spacing="1",
        width="100%",
    )


def _room() -> rx.Component:
    return rx.el.form(
        rx.hstack(
            rx.box(
                input_field("round.room", "room", default_value=S.room, max_length=60),
                flex="1",
            ),
            _button("round.room.save", type="submit", size="3"),
            align="end",
            width="100%",
        ),
        on_submit=S.save_room,
        key=S.teacher_key + S.room,
        width="100%",
    )


def _time_field(label_key: str, name: str, **props: Any) -> rx.Component:
    """A time input with its label visible above it (a placeholder-less time box says nothing)."""
    return rx.el.label(
        rx.text(t(label_key), size="2", weight="medium"),
        rx.el.input(
            type="time",
            name=name,
            min_height="40px",
            padding_x="0.5rem",
            border="1px solid var(--gray-a8)",
            border_radius="var(--radius-2)",
            **props,
        ),
        display="flex",
        flex_direction="column",
        gap="0.2rem",
    )


def _hours(d: Any) -> rx.Component:
    return rx.el.form(
        rx.el.input(type="hidden", name="day", value=d.key),
        rx.flex(
            rx.el.select(
                rx.el.option(t("round.hours.available"), value="available"),
                rx.el.option(t("round.hours.absent"), value="absent"),
                rx.el.option(t("round.hours.custom"), value="custom"),
                name="mode",
                default_value=d.mode,
                aria_label=t("round.hours.mode"),
                **{**SELECT_STYLE, "width": "auto"},
            ),
            _time_field("round.from", "from", default_value=d.own_start),
            _time_field("round.to", "to", default_value=d.own_end),
            _button("round.hours.save", type="submit", variant="outline"),
            gap="0.5rem",
            wrap="wrap",
            align="end",
        ),
        on_submit=S.save_hours,
        key=d.key + d.mode + d.own_start + d.own_end,
    )


def _breaks(d: Any) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.foreach(
                d.breaks,
                lambda b: rx.badge(
                    t("round.break"),
                    " ",
                    b.label,
                    rx.el.button(
                        rx.icon("x", size=14),
                        type="button",
                        aria_label=t("round.break.remove"),
                        on_click=S.remove_break(b.key),  # type: ignore[operator]
                        padding_x="0.4rem",
                        font_size="1.1rem",
                        cursor="pointer",
                    ),
                    size="2",
                    variant="soft",
                    high_contrast=True,
                ),
            ),
            gap="0.5rem",
            wrap="wrap",
        ),
        rx.el.form(
            rx.el.input(type="hidden", name="day", value=d.key),
            rx.flex(
                _time_field("round.break.from", "from", required=True),
                _time_field("round.break.to", "to", required=True),
                _button("round.break.add", type="submit", variant="outline"),
                gap="0.5rem",
                wrap="wrap",
                align="end",
            ),
            on_submit=S.add_break,
            reset_on_submit=True,
        ),
        spacing="2",
    )


def _cell(c: Any) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(c.time, weight="bold"),
            rx.match(
                c.status,
                ("booked", rx.text(c.pupil, size="2")),
                ("blocked", rx.text(t("round.slot.blocked"), size="2", color_scheme="gray")),
                rx.text(t("round.slot.free"), size="2", color_scheme="green"),
            ),
            spacing="2",
            align="center",
        ),
        rx.flex(
            rx.match(
                c.status,
                (
                    "booked",
                    rx.fragment(
                        _button("round.move", on_click=S.start_move(c.key), variant="soft", size="1"),  # type: ignore[operator]
                        confirm_dialog(
                            _button("round.cancel", variant="outline", size="1"),
                            title_key="confirm.round_cancel.title",
                            body=rx.fragment(
                                rx.text(c.pupil, ", ", c.time, weight="bold"),
                                rx.text(t("confirm.round_cancel.body")),
                            ),
                            confirm_key="confirm.round_cancel.action",
                            on_confirm=S.cancel_booking(c.key),  # type: ignore[operator]
                        ),
                    ),
                ),
                ("blocked", _button("round.unblock", on_click=S.unblock(c.key), variant="outline", size="1")),  # type: ignore[operator]
                rx.fragment(
                    rx.cond(
                        S.moving != "",
                        _button("round.move_here", on_click=S.choose_slot(c.key), size="1"),  # type: ignore[operator]
                        _button("round.choose", on_click=S.choose_slot(c.key), size="1"),  # type: ignore[operator]
                    ),
                    _button("round.block", on_click=S.block(c.key), variant="outline", size="1"),  # type: ignore[operator]
                    rx.cond(
                        c.can_double,
                        _button("round.double", on_click=S.double(c.key), variant="soft", size="1"),  # type: ignore[operator]
                        rx.fragment(),
                    ),
                ),
            ),
            gap="0.4rem",
            wrap="wrap",
        ),
        padding="0.5rem",
        border=rx.cond(c.chosen, "2px solid var(--accent-9)", "1px solid var(--gray-a6)"),
        border_radius="var(--radius-2)",
        background_color=rx.match(
            c.status, ("booked", "var(--accent-a3)"), ("blocked", "var(--gray-a3)"), "transparent"
        ),
        data_status=c.status,
    )


def _add_slot(d: Any) -> rx.Component:
    return rx.el.form(
        rx.el.input(type="hidden", name="day", value=d.key),
        rx.flex(
            _time_field("round.slot.at", "at", required=True),
            _button("round.slot.add", type="submit", variant="outline"),
            gap="0.5rem",
            align="end",
        ),
        on_submit=S.add_slot,
        reset_on_submit=True,
    )


def _day(d: Any) -> rx.Component:
    return card_stack(
        rx.heading(both(d.label), ", ", d.hours, as_="h3", size="4"),
        _hours(d),
        _breaks(d),
        rx.grid(
            rx.foreach(d.slots, _cell),
            columns={"initial": "1", "sm": "2", "md": "3"},
            gap="0.5rem",
            width="100%",
            class_name="slot-grid",
        ),
        _add_slot(d),
    )


def _teacher_section() -> rx.Component:
    return section(
        "round.teachers.title",
        _teacher_picker(),
        _room(),
        _notice("room"),
        _notice("hours"),
        _notice("breaks"),
        _notice("slots"),
        card_list(S.days, _day, id="round-days"),
        id="round-teacher",
    )
