"""Cells that spreadsheet programs must not run as formulas (CSV/formula injection, OWASP).

Imported names and e-mail addresses come from files anyone could have typed in. Every export that
writes such text into CSV or XLSX passes each cell through :func:`safe_csv_cell`.
"""

from __future__ import annotations

import re

# Excel, LibreOffice and Google Sheets start a formula (or DDE call) with these characters,
# also after leading spaces; the full-width forms are folded to them by some programs.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_csv_cell(value: object) -> str:
    """``value`` as text a spreadsheet shows as text: a leading formula character gets a quote.

    Plain numbers such as ``-3`` or ``+31`` stay as they are (they cannot run anything).
    """
    text = "" if value is None else str(value)
    if text.lstrip(" ").startswith(_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
