"""A confirmation dialog in front of an irreversible action: it says what will happen, and Cancel does
nothing (no event reaches the server). The handler behind it still checks everything itself: a client
can call it without any dialog.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.text import t


def confirm_dialog(
    trigger: rx.Component,
    *,
    title_key: str,
    body: rx.Component | rx.Var | str,
    confirm_key: str,
    on_confirm: Any = None,
    form_id: str | None = None,
    danger: bool = True,
    dialog_id: str = "",
) -> rx.Component:
    """``trigger`` opens the dialog; its confirm button runs ``on_confirm`` or submits the form
    ``form_id`` (the dialog sits outside the form in the page, so the button names its form)."""
    action_props: dict[str, Any] = (
        {"type": "submit", "form": form_id} if form_id else {"on_click": on_confirm, "type": "button"}
    )
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t(title_key)),
            # a div, not Radix's <p>: the body holds paragraphs of its own
            rx.alert_dialog.description(
                rx.flex(body, direction="column", spacing="2"), custom_attrs={"as": "div"}
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(t("confirm.cancel"), variant="soft", color_scheme="gray", size="3"),
                ),
                rx.alert_dialog.action(
                    rx.button(
                        t(confirm_key),
                        color_scheme="red" if danger else None,
                        high_contrast=True,
                        size="3",
                        class_name="confirm-action",
                        **action_props,
                    ),
                ),
                spacing="3",
                margin_top="1rem",
                justify="end",
                wrap="wrap",
            ),
            max_width="min(480px, calc(100vw - 2rem))",
            id=dialog_id or None,
            class_name="confirm-dialog",
        ),
    )
