"""A person's language as a school's file gives it, and the language their mail goes in.

A roster cell may hold an ISO 639 code ("nl", "EN", "tr") or a language's name in Dutch or English
("Nederlands", "Engels", "English", "Turks"), as Babel (CLDR) names them. The code is stored whatever the
language: the school's record stays true, and once the app speaks a language its parents get it. Mail
goes in the stored language when the app has it (``i18n.LANGUAGES``), else in Dutch.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale

from ogp_app.i18n import DEFAULT_LANGUAGE, LANGUAGES


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(plain.casefold().split())


@cache
def _known() -> dict[str, str]:
    """Folded code or name (nl, en) -> code, for plain languages (no regional variants)."""
    found: dict[str, str] = {}
    for shown_in in ("en", "nl"):  # Dutch names win a clash: the files are Dutch
        for code, name in Locale(shown_in).languages.items():
            if code.isalpha() and len(code) <= 3:
                found[_fold(name)] = code
    for code in list(found.values()):
        found[code] = code
    return found


def parse_language(value: str) -> str | None:
    """The ISO 639 code for a cell's text; None when it names no language we know (the caller says so)."""
    return _known().get(_fold(value))


def language_name(code: str | None, shown_in: str) -> str:
    """The language's name in ``shown_in`` ("Engels"), or the code itself when Babel has no name."""
    if not code:
        return ""
    return str(Locale(shown_in).languages.get(code, code))


def mail_language(account_language: str | None, roster_language: str | None) -> str:
    """The person's own choice on their account first, else the school's record when the app speaks
    it, else Dutch."""
    for language in (account_language, roster_language):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE
