"""Reading submitted form dicts in event handlers: anyone can send any value, so check type and length."""

from __future__ import annotations

from typing import Any

from ogp_app.services.errors import InvalidInput


def form_text(form: Any, name: str, max_length: int) -> str | None:
    """A text field of a submitted form dict, or None when the argument is not what a form sends."""
    if not isinstance(form, dict):
        return None
    value = form.get(name, "")
    if value is None:  # a field that is not on the page (its ref is empty)
        value = ""
    return value if isinstance(value, str) and len(value) <= max_length else None


def required_text(form: Any, name: str, max_length: int) -> str:
    """Like :func:`form_text`, but anything that is not a text of at most ``max_length`` is InvalidInput."""
    value = form_text(form, name, max_length)
    if value is None:
        raise InvalidInput(f"field {name!r}")
    return value


def checkbox(form: Any, name: str) -> bool:
    """A checkbox or switch: present ("on") when checked."""
    if not isinstance(form, dict):
        raise InvalidInput("form data must be an object")
    value = form.get(name)
    if value in (None, "", False):
        return False
    if value in ("on", "true", True):
        return True
    raise InvalidInput(f"field {name!r}")
