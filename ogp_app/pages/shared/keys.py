"""Keys a page hands the browser in place of row ids (``new_key``), and reading them back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

KEY_MAX = 32  # the keys are ours (12 characters): anything longer is not worth a look-up

Value = TypeVar("Value")


def known(keys: Mapping[str, Value], key: object) -> Value | None:
    """What a key this page handed out stands for; None for anything else the browser sends."""
    return keys.get(key) if isinstance(key, str) and len(key) <= KEY_MAX else None
