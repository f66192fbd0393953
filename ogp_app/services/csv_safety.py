"""CSV cells that a spreadsheet will not run as a formula (CSV/formula injection, OWASP)."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_csv_cell(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would otherwise evaluate it."""
    if value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value
