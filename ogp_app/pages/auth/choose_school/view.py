"""The view of /choose-school (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import card_stack
from ogp_app.components.forms import auth_page, post_form, submit
from ogp_app.components.text import t
from ogp_app.models import Role
from ogp_app.pages.auth.choose_school.state import ChooseSchoolState, SchoolOption


def _role(role: rx.Var[str]) -> rx.Component:
    return rx.badge(
        rx.match(
            role,
            (Role.SCHOOL_ADMIN.value, t("app.role.school_admin")),
            (Role.TEACHER.value, t("app.role.teacher")),
            (Role.PARENT.value, t("app.role.parent")),
            "",
        ),
        size="2",
        high_contrast=True,
    )


def _school(option: rx.Var[SchoolOption]) -> rx.Component:
    return card_stack(
        rx.heading(option.name, as_="h2", size="4"),  # type: ignore[attr-defined]
        rx.hstack(rx.foreach(option.roles, _role), wrap="wrap", spacing="2"),  # type: ignore[attr-defined]
        rx.cond(
            option.current,  # type: ignore[attr-defined]
            rx.text(t("choose.current"), weight="medium"),
        ),
        post_form(
            "/api/auth/switch-school",
            rx.el.input(type="hidden", name="school_id", value=option.school_id),  # type: ignore[attr-defined]
            submit("choose.select", width="100%"),
        ),
    )


def choose_school_page() -> rx.Component:
    return auth_page(
        "choose.title",
        ChooseSchoolState,
        rx.cond(
            ChooseSchoolState.schools.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                rx.text(t("choose.body")),
                rx.foreach(ChooseSchoolState.schools, _school),
                spacing="3",
                width="100%",
            ),
            rx.cond(ChooseSchoolState.signed_in, rx.text(t("choose.none"))),
        ),
    )
