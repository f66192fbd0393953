"""Dutch and English catalogs. Every user-visible string is a key here.

Pages call :func:`t` which renders the text in the visitor's language; e-mails and exports call
:func:`translate` with the recipient's language.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_CATALOG_DIR = Path(__file__).parent


@cache
def catalog(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((_CATALOG_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return data


def normalise_language(value: Any) -> str:
    """A supported language code, falling back to Dutch for anything unknown."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, language: str, **values: Any) -> str:
    """The text for ``key`` in ``language``; a missing key is a bug and raises KeyError."""
    text = catalog(normalise_language(language))[key]
    return text.format(**values) if values else text
