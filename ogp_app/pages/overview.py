"""The signed-in home: who you are, at which school, in which roles; log out here or everywhere."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.text import t
from ogp_app.state.base import AppState


def _post_button(label_key: str, action: str, variant: str = "outline") -> rx.Component:
    # on_submit=None: else Reflex adds a submit handler that calls preventDefault() and nothing is posted
    return rx.el.form(
        rx.button(t(label_key), type="submit", variant=variant, high_contrast=True),
        action=action,
        method="post",
        on_submit=None,
    )


def _role(flag: rx.Var | bool, key: str) -> rx.Component:
    return rx.cond(flag, rx.badge(t(key), size="2", high_contrast=True))


def overview_page() -> rx.Component:
    signed_in = rx.vstack(
        rx.heading(t("app.welcome"), ", ", AppState.display_name, as_="h1", size="7"),
        rx.data_list.root(
            rx.data_list.item(rx.data_list.label(t("app.school")), rx.data_list.value(AppState.school_name)),
            rx.data_list.item(
                rx.data_list.label(t("app.roles")),
                rx.data_list.value(
                    rx.hstack(
                        _role(AppState.is_school_admin, "app.role.school_admin"),
                        _role(AppState.is_teacher, "app.role.teacher"),
                        _role(AppState.is_parent, "app.role.parent"),
                        wrap="wrap",
                    )
                ),
            ),
        ),
        rx.hstack(
            _post_button("app.logout", "/api/auth/logout", "solid"),
            _post_button("app.logout_everywhere", "/api/auth/logout-everywhere"),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
    )
    signed_out = rx.vstack(
        rx.heading(t("app.title"), as_="h1", size="7"),
        rx.text(t("app.not_signed_in")),
        rx.link(rx.button(t("nav.login"), high_contrast=True), href="/login"),
        spacing="3",
    )
    return page_frame(rx.cond(AppState.signed_in, signed_in, signed_out))
