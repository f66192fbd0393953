"""The view of /login/two-factor (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import auth_page, field, post_form, submit
from ogp_app.components.text import t
from ogp_app.pages.auth.login_two_factor.state import TwoFactorPromptState


def two_factor_prompt_page() -> rx.Component:
    return auth_page(
        "two_factor_prompt.title",
        TwoFactorPromptState,
        rx.text(t("two_factor_prompt.body")),
        post_form(
            "/api/auth/two-factor",
            rx.vstack(
                field(
                    "two_factor_prompt.code",
                    "code",
                    field_id="two-factor-code",
                    autocomplete="one-time-code",
                    max_length=64,
                    auto_focus=True,
                ),
                submit("two_factor_prompt.submit", width="100%"),
                spacing="3",
                width="100%",
            ),
        ),
        rx.link(t("auth.to_login"), href="/login"),
    )
