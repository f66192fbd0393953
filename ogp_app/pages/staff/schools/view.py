"""The view of /staff (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import bare_list, two_columns
from ogp_app.components.forms import submit
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field as labelled
from ogp_app.components.settings_forms import form_stack, section, select_box
from ogp_app.components.staff import SEP, staff_frame, status_badge, text_area
from ogp_app.components.text import t
from ogp_app.models.backoffice import REASON_MAX
from ogp_app.pages.staff.schools.state import SchoolLine, StaffSchoolsState


def _status(status: Any) -> rx.Component:
    return status_badge(status, "school.status", {"active": "green", "pending": "amber"}, ("frozen", "gray"))


def _fact(label_key: str, value: Any) -> rx.Component:
    return rx.vstack(rx.text(t(label_key), size="1", color_scheme="gray"), rx.text(value), spacing="0")


def _school_row(row: rx.Var[SchoolLine]) -> rx.Component:
    """One school as a wrapping row (no sideways scrolling on a phone)."""
    school: Any = row
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(school.name, weight="bold"),
                rx.text(school.city, size="2"),
                spacing="0",
                min_width="12rem",
                flex="2 1 12rem",
            ),
            rx.box(_status(school.status), flex="1 1 6rem"),
            rx.box(
                _fact(
                    "staff.schools.subscription",
                    rx.cond(
                        school.subscription != "", school.subscription, t("staff.schools.no_subscription")
                    ),
                ),
                flex="1 1 7rem",
            ),
            rx.box(_fact("staff.schools.pupils", school.pupils), flex="1 1 5rem"),
            rx.box(
                _fact(
                    "staff.schools.last_activity",
                    rx.cond(school.last_activity != "", school.last_activity, t("staff.schools.never")),
                ),
                flex="1 1 9rem",
            ),
            gap="0.75rem",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        padding_y="0.6rem",
        border_bottom="1px solid var(--gray-a5)",
        class_name="school-row",
    )


def _school_table() -> rx.Component:
    return bare_list(
        StaffSchoolsState.schools,
        _school_row,
        aria_label=t("staff.schools.title"),
        id="school-list",
    )


def _open_form() -> rx.Component:
    return section(
        "staff.schools.open",
        form_stack(
            labelled(
                "staff.schools.name",
                "school_id",
                select_box(
                    "school_id",
                    rx.foreach(StaffSchoolsState.schools, lambda s: rx.el.option(s.name, value=s.id)),
                ),
            ),
            labelled(
                "staff.schools.reason",
                "reason",
                text_area("reason", required=True, max_length=REASON_MAX, aria_describedby="reason-help"),
                help_key="staff.schools.reason_help",
            ),
            submit("staff.schools.open"),
            on_submit=StaffSchoolsState.open_school,
            key=StaffSchoolsState.form_key,
        ),
        notice_view(StaffSchoolsState.open_notice),
        id="open-school",
    )


def _opened() -> rx.Component:
    o: Any = StaffSchoolsState.opened

    def item(label_key: str, value: Any) -> rx.Component:
        return rx.data_list.item(rx.data_list.label(t(label_key)), rx.data_list.value(value))

    return section(
        "staff.schools.detail",
        rx.heading(o.name, as_="h3", size="4"),
        rx.data_list.root(
            item("school.details.city", o.city),
            item("school.details.brin", o.brin),
            item("school.details.status", _status(o.status)),
            item("staff.schools.classes", o.classes),
            item("staff.schools.teachers", o.teachers),
            item("staff.schools.pupils", o.pupils),
            item("staff.schools.guardians", o.guardians),
            item("staff.schools.rounds", o.rounds),
            item(
                "staff.schools.admins",
                rx.vstack(rx.foreach(o.admins, lambda a: rx.text(a, word_break="break-all"))),
            ),
            orientation={"initial": "vertical", "sm": "horizontal"},
        ),
        rx.heading(t("staff.schools.log"), as_="h3", size="4"),
        rx.el.ul(
            rx.foreach(
                o.log,
                lambda e: rx.el.li(
                    rx.text(e.at, SEP, e.staff_name, weight="medium"), rx.text(e.reason, size="2")
                ),
            ),
            style={"paddingLeft": "1.2rem"},
            id="access-log",
        ),
        rx.button(
            t("staff.schools.close"),
            on_click=StaffSchoolsState.close_school,
            variant="outline",
            high_contrast=True,
        ),
        id="opened-school",
    )


def staff_schools_page() -> rx.Component:
    return staff_frame(
        "staff.schools.title",
        _school_table(),
        two_columns(_open_form(), rx.cond(StaffSchoolsState.has_opened, _opened())),
    )
