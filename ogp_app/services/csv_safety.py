"""Cells that spreadsheet programs must not run as formulas (CSV/formula injection).

Imported names and e-mail addresses come from files anyone could have typed in. Every export that
writes such text into CSV or XLSX passes each cell through :func:`safe_csv_cell`.
"""

from __future__ import annotations

import re

# Excel, LibreOffice and Google Sheets start a formula (or DDE call) with these characters.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_csv_cell(value: object) -> str:
    """``value`` as text that a spreadsheet shows as text: a leading formula character gets a quote.

    Plain numbers such as ``-3`` or ``+31`` stay as they are (they cannot run anything).
    """
    text = "" if value is None else str(value)
    if text.startswith(_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
"""CSV cells that a spreadsheet will not run as a formula (CSV/formula injection, OWASP)."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_csv_cell(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would otherwise evaluate it."""
    if value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value
