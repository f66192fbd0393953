"""The view of /app (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import column
from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.text import t
from ogp_app.pages.school.app.state import STEP_LINKS, AdminHomeState
from ogp_app.services.onboarding.next_steps import NEXT_STEPS
from ogp_app.state.base import AppState


def _next_step(step: rx.Var[str]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.match(step, *[(key, t(f"home.step.{key}")) for key in NEXT_STEPS], ""),
            href=rx.match(step, *STEP_LINKS.items(), "/app"),
            weight="medium",
        ),
        padding_y="0.3rem",
    )


def _admin_home() -> rx.Component:
    S = AdminHomeState
    return rx.vstack(
        rx.cond(
            S.trial_days_left >= 0,
            rx.callout(
                rx.text(
                    t("home.trial_left"), " ", rx.el.strong(S.trial_days_left, id="home-trial-days"), ". ",
                    # in running text a link is underlined and as dark as the text (axe: link-in-text-block)
                    rx.link(
                        t("home.trial_link"), href="/school/billing", underline="always", high_contrast=True
                    ),
                ),
                icon="calendar_clock",
                high_contrast=True,
                width="100%",
            ),
        ),
        rx.cond(
            S.next_steps.length() > 0,  # type: ignore[attr-defined]
            rx.card(
                rx.heading(t("home.next_steps"), as_="h2", size="4"),
                rx.el.ol(rx.foreach(S.next_steps, _next_step), padding_left="1.25rem", margin="0.5rem 0 0"),
                width="100%",
                id="home-next-steps",
            ),
        ),
        spacing="3",
        width="100%",
    )  # fmt: skip


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
    signed_in = column(
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
        rx.cond(AppState.is_school_admin, _admin_home()),
        rx.hstack(
            _post_button("app.logout", "/api/auth/logout", "solid"),
            _post_button("app.logout_everywhere", "/api/auth/logout-everywhere"),
            spacing="3",
            wrap="wrap",
        ),
    )
    signed_out = rx.vstack(
        page_title("app.title"),
        rx.text(t("app.not_signed_in")),
        rx.link(rx.button(t("nav.login"), high_contrast=True), href="/login"),
        spacing="3",
    )
    return page_frame(rx.cond(AppState.signed_in, signed_in, signed_out))
