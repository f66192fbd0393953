"""The view of /teacher/evening (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.layout import gated_page
from ogp_app.components.notice import notice_view
from ogp_app.components.online import join_block
from ogp_app.components.settings_forms import field, form_stack, section, select_box, text_input
from ogp_app.components.text import both, t
from ogp_app.pages.school.teacher_evening.state import MESSAGE_MAX, TeacherEveningState
from ogp_app.pages.shared.round_downloads import download_link


def _row(r: Any, i: Any) -> rx.Component:
    """One time of the evening: the time, who (or free/unavailable), and its button. Rows, not a table:
    on a 360 px phone the button wraps under the text instead of sliding out of reach."""
    return rx.fragment(
        rx.cond(
            (i == 0) | (TeacherEveningState.rows[i - 1].day.nl != r.day.nl),
            rx.heading(both(r.day), as_="h2", size="4", padding_top="1rem", padding_bottom="0.25rem"),
        ),
        rx.flex(
            rx.text(r.time, weight="bold", white_space="nowrap", min_width="6.5rem"),
            rx.box(
                rx.match(
                    r.status,
                    (
                        "booked",
                        rx.vstack(
                            rx.text(r.pupil, ", ", r.class_name, weight="medium"),
                            rx.text(r.guardians, size="2"),
                            rx.cond(r.note != "", rx.text(t("evening.note"), " ", r.note, size="2")),
                            # one tap to join; never on the printed door list
                            rx.box(join_block(r, TeacherEveningState.load_page), class_name="no-print"),
                            rx.cond(r.can_mark, _outcome(r)),
                            spacing="0",
                        ),
                    ),
                    ("blocked", rx.text(t("evening.blocked"), color_scheme="gray")),
                    rx.text(t("evening.free"), color_scheme="gray"),
                ),
                flex="1 1 12rem",
                min_width="0",
                overflow_wrap="anywhere",
            ),
            rx.cond(
                r.status != "booked",
                rx.button(
                    rx.cond(r.status == "free", t("evening.block"), t("evening.unblock")),
                    on_click=TeacherEveningState.toggle(r.key),  # type: ignore[operator]
                    variant="outline",
                    size="2",
                    high_contrast=True,
                    class_name="no-print",
                ),
            ),
            gap="0.4rem 0.75rem",
            wrap="wrap",
            align="baseline",
            padding_y="0.5rem",
            border_top="1px solid var(--gray-a5)",
            class_name="evening-row",
        ),
    )


_MARKS = (("held", "outcomes.held"), ("no_show", "outcomes.no_show"), ("moved", "outcomes.moved"))


def _outcome(r: Any) -> rx.Component:
    """After (or during) the evening: one tap for how it went, and the note; not on the printed list."""
    return rx.vstack(
        rx.hstack(
            *(
                rx.button(
                    t(label_key),
                    on_click=TeacherEveningState.mark(r.key, value),  # type: ignore[operator]
                    variant=rx.cond(r.attendance == value, "solid", "outline"),
                    aria_pressed=rx.cond(r.attendance == value, "true", "false"),
                    size="2",
                    high_contrast=True,
                )
                for value, label_key in _MARKS
            ),
            rx.button(
                rx.icon("notebook-pen", size=16),
                rx.cond(r.outcome_note != "", t("outcomes.edit_note"), t("outcomes.write_note")),
                on_click=TeacherEveningState.open_note(r.key),  # type: ignore[operator]
                variant="ghost",
                size="2",
            ),
            wrap="wrap",
            spacing="2",
            role="group",
            aria_label=t("outcomes.how_it_went"),
        ),
        rx.cond(r.outcome_note != "", rx.text(t("outcomes.note"), " ", r.outcome_note, size="2")),
        rx.cond(TeacherEveningState.note_key == r.key, _note_form(r)),
        spacing="2",
        padding_top="0.4rem",
        width="100%",
        class_name="no-print outcome",
    )


def _note_form(r: Any) -> rx.Component:
    return form_stack(
        field(
            "outcomes.note_label",
            "outcome_note",
            rx.text_area(
                id="outcome_note", name="outcome_note", default_value=r.outcome_note, max_length=2000
            ),
            help_key="outcomes.note_help",
        ),
        field(
            "outcomes.follow_up",
            "outcome_follow_up",
            text_input("outcome_follow_up", type="date", default_value=r.follow_up),
        ),
        field(
            "outcomes.summary_label",
            "outcome_summary",
            rx.text_area(
                id="outcome_summary", name="outcome_summary", default_value=r.summary, max_length=1000
            ),
            help_key="outcomes.summary_help",
        ),
        submit("outcomes.save"),
        on_submit=TeacherEveningState.save_note,
    )


def _text_area(name: str, value: Any, limit: int) -> rx.Component:
    return rx.text_area(id=name, name=name, default_value=value, max_length=limit, width="100%")


def _downloads() -> rx.Component:
    return rx.flex(
        rx.text(t("export.downloads"), size="2", weight="medium"),
        # plain anchors with download: the browser fetches the authenticated route, React Router does not
        download_link("export.download_door", TeacherEveningState.door_href, id="download-door-list"),
        download_link("export.download_schedule", TeacherEveningState.schedule_href, id="download-schedule"),
        wrap="wrap",
        gap="0.6rem",
        align="center",
        class_name="no-print",
    )


def _select(name: str, items: Any, label: Any, placeholder_key: str, **props: Any) -> rx.Component:
    return select_box(
        name,
        rx.el.option(t(placeholder_key), value=""),
        rx.foreach(items, lambda o: rx.el.option(label(o), value=o.key)),
        required=True,
        **props,
    )


def _invite_form() -> rx.Component:
    return rx.box(
        section(
            "invite.title",
            rx.text(t("invite.intro"), size="2"),
            notice_view(TeacherEveningState.invite_notice),
            rx.cond(
                (TeacherEveningState.invite_pupils.length() > 0)  # type: ignore[attr-defined]
                & (TeacherEveningState.invite_times.length() > 0),  # type: ignore[attr-defined]
                form_stack(
                    field(
                        "invite.pupil",
                        "invite_pupil",
                        _select(
                            "invite_pupil",
                            TeacherEveningState.invite_pupils,
                            lambda o: o.label,
                            "invite.choose",
                            default_value=TeacherEveningState.invite_choice,  # from "not seen yet"
                            key=TeacherEveningState.invite_choice,
                        ),
                    ),
                    field(
                        "invite.time",
                        "invite_time",
                        _select(
                            "invite_time", TeacherEveningState.invite_times, _both_label, "invite.choose"
                        ),
                    ),
                    field(
                        "invite.message",
                        "invite_message",
                        rx.text_area(
                            id="invite_message",
                            name="invite_message",
                            max_length=MESSAGE_MAX,
                            width="100%",
                        ),
                        help_key="invite.message_help",
                    ),
                    submit("invite.submit"),
                    on_submit=TeacherEveningState.invite,
                    reset_on_submit=True,
                ),
                rx.text(t("invite.nothing"), size="2", color_scheme="gray"),
            ),
            id="invite",
        ),
        class_name="no-print",
        width="100%",
    )


def _video_link_form() -> rx.Component:
    """Where the school uses each teacher's own meeting link: the teacher's, for online conversations."""
    return rx.box(
        section(
            "online.teacher_link_title",
            rx.text(t("online.teacher_link_intro"), size="2"),
            notice_view(TeacherEveningState.video_notice),
            form_stack(
                field(
                    "online.teacher_link",
                    "video_link",
                    text_input(
                        "video_link",
                        help_id=True,
                        type="url",
                        default_value=TeacherEveningState.video_link,
                        placeholder="https://",
                    ),
                    help_key="online.teacher_link_help",
                ),
                submit("online.teacher_link_save"),
                on_submit=TeacherEveningState.save_video_link,
            ),
            id="video-link",
        ),
        class_name="no-print",
        width="100%",
    )


def _both_label(o: Any) -> rx.Var:
    return both(o.label)


def teacher_evening_page() -> rx.Component:
    return gated_page(
        "evening.title",
        TeacherEveningState.access == "denied",
        "evening.no_access",
        rx.cond(
            TeacherEveningState.round_name != "",
            rx.vstack(
                rx.text(
                    TeacherEveningState.round_name,
                    ", ",
                    TeacherEveningState.teacher_name,
                    rx.cond(TeacherEveningState.room != "", ", " + TeacherEveningState.room, ""),
                    weight="medium",
                    id="evening-heading",
                ),
                rx.text(t("evening.print_hint"), size="2", color_scheme="gray", class_name="no-print"),
                _downloads(),
                rx.link(t("households.not_booked.link"), href="/teacher/not-booked", class_name="no-print"),
                notice_view(TeacherEveningState.notice),
                notice_view(TeacherEveningState.outcome_notice),
                rx.box(rx.foreach(TeacherEveningState.rows, _row), width="100%", id="door-list"),
                _invite_form(),
                rx.cond(TeacherEveningState.asks_video_link, _video_link_form()),
                spacing="3",
                width="100%",
            ),
            rx.text(t("evening.nothing")),
        ),
    )
