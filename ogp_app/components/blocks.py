"""Plain building blocks many pages stack their content in."""

from __future__ import annotations

from typing import Any

import reflex as rx


def card_stack(
    *children: rx.Component, spacing: str = "3", stack: dict[str, Any] | None = None, **card: Any
) -> rx.Component:
    """A full-width card whose content is stacked full width; ``card`` names it (id, class_name)."""
    return rx.card(rx.vstack(*children, spacing=spacing, width="100%", **(stack or {})), width="100%", **card)
