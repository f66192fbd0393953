"""Form pieces of the settings pages: sections and labelled controls (POST forms: components.forms)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from ogp_app.components.text import t


def section(title_key: str, *children: rx.Component, id: str | None = None) -> rx.Component:
    """A card with an h2; ``id`` names the region for tests and skip links."""
    return rx.card(
        rx.el.section(
            rx.vstack(rx.heading(t(title_key), as_="h2", size="5"), *children, spacing="3", width="100%"),
            aria_label=t(title_key),
            id=id,
        ),
        width="100%",
    )


def form_stack(
    *children: rx.Component,
    on_submit: Any,
    spacing: str = "3",
    stack: dict[str, Any] | None = None,
    element: Callable[..., rx.Component] = rx.el.form,
    **form: Any,
) -> rx.Component:
    """A form the page's state handles: its fields and button stacked, full width. ``form`` takes the
    state's ``key`` (redrawn with the saved values) or ``reset_on_submit=True`` (emptied instead)."""
    return element(
        rx.vstack(*children, spacing=spacing, width="100%", **(stack or {})),
        on_submit=on_submit,
        width="100%",
        **form,
    )


def field(
    label_key: str, input_id: str, control: rx.Component, *, help_key: str | None = None
) -> rx.Component:
    """A visible label above its control, with an optional hint linked by aria-describedby."""
    parts: list[rx.Component] = [
        rx.el.label(t(label_key), html_for=input_id, font_weight="500", font_size="0.95rem"),
        control,
    ]
    if help_key:
        parts.append(rx.text(t(help_key), id=f"{input_id}-help", size="2", color_scheme="gray"))
    return rx.vstack(*parts, spacing="1", width="100%")


def text_input(input_id: str, *, help_id: bool = False, **props: Any) -> rx.Component:
    if help_id:
        props.setdefault("aria_describedby", f"{input_id}-help")
    return rx.input(id=input_id, name=input_id, size="3", width="100%", **props)


def input_field(
    label_key: str, name: str, *, help_key: str | None = None, **input_props: Any
) -> rx.Component:
    """A labelled ``text_input`` named ``name`` (its label, input and hint share the name)."""
    return field(label_key, name, text_input(name, **input_props), help_key=help_key)


def link_button(label_key: str, href: str, **props: Any) -> rx.Component:
    """A link that looks like a button (one interactive element, not a button inside a link)."""
    return rx.button(rx.el.a(t(label_key), href=href), as_child=True, high_contrast=True, size="3", **props)


# The native select's look, the same as the text inputs (keyboard and phone friendly).
SELECT_STYLE: dict[str, str] = {
    "width": "100%",
    "min_height": "40px",
    "padding_x": "0.6rem",
    "font_size": "1rem",
    "color": "var(--gray-12)",
    "background_color": "var(--color-surface)",
    "border": "1px solid var(--gray-a8)",
    "border_radius": "var(--radius-2)",
}


def select_box(name: str, *options: rx.Component, **props: Any) -> rx.Component:
    """A native select styled like the inputs; ``props`` may override the look (e.g. ``width``)."""
    return rx.el.select(*options, **{"id": name, "name": name, **SELECT_STYLE, **props})
