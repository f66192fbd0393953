"""Form pieces of the log-in pages: native POST forms, labelled fields, message callouts; and the
submit button every form of the app uses."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.text import t


def post_form(action: str, *children: rx.Component, **props: object) -> rx.Component:
    """A plain HTML form POST to an HTTP route: its redirect is a full page load with the new cookie."""
    return rx.el.form(
        *children,
        action=action,
        method="post",
        on_submit=None,  # without this Reflex adds a submit handler that calls preventDefault()
        width="100%",
        **props,
    )


def field(
    label_key: str,
    name: str,
    *,
    field_id: str,
    type_: str = "text",
    autocomplete: str = "off",
    hint_key: str | None = None,
    required: bool = True,
    max_length: int = 320,
    **props: object,
) -> rx.Component:
    """A label above a full-width input (16 px text: phones do not zoom in)."""
    hint_id = f"{field_id}-hint"
    extra: dict[str, object] = {"aria_describedby": hint_id} if hint_key else {}
    hint = [rx.text(t(hint_key), size="2", id=hint_id)] if hint_key else []
    return rx.vstack(
        rx.el.label(t(label_key), html_for=field_id, font_weight="500"),
        rx.input(
            name=name,
            id=field_id,
            type=type_,
            auto_complete=autocomplete,
            required=required,
            max_length=max_length,
            size="3",
            width="100%",
            **extra,
            **props,
        ),
        *hint,
        spacing="1",
        width="100%",
    )


def submit(label_key: str, **props: object) -> rx.Component:
    """A form's large submit button, labelled from the catalog."""
    return rx.button(t(label_key), type="submit", size="3", high_contrast=True, **props)


def messages(error_text: rx.Var, notice_text: rx.Var) -> rx.Component:
    """The error (role=alert) and the notice (role=status) of the page, when there is one."""
    return rx.fragment(
        rx.cond(
            error_text != "",
            rx.callout(
                error_text,
                icon="triangle_alert",
                color_scheme="red",
                role="alert",
                width="100%",
                high_contrast=True,
            ),
        ),
        rx.cond(
            notice_text != "",
            rx.callout(
                notice_text, icon="info", color_scheme="jade", role="status", width="100%", high_contrast=True
            ),
        ),
    )


def auth_column(*children: rx.Component) -> rx.Component:
    """The narrow column of every log-in page (readable on a 375 px phone and on a desktop)."""
    return rx.vstack(*children, spacing="4", width="100%", max_width="520px")


def auth_page(title_key: str, state: Any, *children: rx.Component) -> rx.Component:
    """A log-in side page: its title and the messages of ``state`` (an AuthFlowState) over ``children``."""
    return page_frame(
        auth_column(
            page_title(title_key),
            messages(state.error_text, state.notice_text),
            *children,
        )
    )
