"""Dutch and English catalogs, one JSON file per module and language. Every user-visible string is a key.

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
LANGUAGE_COOKIE = "ogp_lang"  # the visitor's language choice (the language switch sets it)
_CATALOG_DIR = Path(__file__).parent


@cache
def catalog(language: str) -> dict[str, str]:
    """All texts of one language: the union of ``i18n/<language>/*.json`` (one file per module)."""
    merged: dict[str, str] = {}
    for path in sorted((_CATALOG_DIR / language).glob("*.json")):
        part: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        if clash := merged.keys() & part.keys():
            raise ValueError(f"{path}: keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


def normalise_language(value: Any) -> str:
    """A supported language code, falling back to Dutch for anything unknown."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, language: str, **values: Any) -> str:
    """The text for ``key`` in ``language``; a missing key is a bug and raises KeyError."""
    text = catalog(normalise_language(language))[key]
    return text.format(**values) if values else text
