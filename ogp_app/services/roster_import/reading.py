"""Turn uploaded bytes into a table of text cells: CSV (any Dutch Excel flavour) or XLSX, in memory.

Nothing is written to disk. CSV: UTF-8 with or without BOM, else Windows-1252; the delimiter is the one
of ``;``, ``,`` and tab that splits the first lines most consistently. XLSX: the first sheet, read with
openpyxl in read-only mode. Title rows above the header (a school name, an export date) are skipped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from ogp_app.services.roster_import.errors import RosterFileError
from ogp_app.services.roster_import.fields import header_score

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELL = 500
_HEADER_SCAN = 15
_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class Table:
    """``headers`` are unique (a repeated or empty header gets a suffix); ``rows[i]`` is file row
    ``row_numbers[i]`` (1-based, as a spreadsheet shows it), padded to the header width."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    source: str  # "csv" or "xlsx"
    delimiter: str = ""
    encoding: str = ""


def read_table(data: bytes) -> Table:
    if not data or not data.strip():
        raise RosterFileError("empty", message_key="roster.error.file_empty")
    if len(data) > MAX_BYTES:
        raise RosterFileError(
            "too big", message_key="roster.error.file_too_large", megabytes=MAX_BYTES // 2**20
        )
    if data.startswith(b"PK\x03\x04"):
        return _table(_xlsx_rows(data), source="xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError("xls", message_key="roster.error.xls_unsupported")
    text, encoding = _decode(data)
    if "\x00" in text:
        raise RosterFileError("binary", message_key="roster.error.file_unreadable")
    delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _table(reader, source="csv", delimiter=delimiter, encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Latin-1 reads those as control characters.
        try:
            return data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"


def _sniff(text: str) -> str:
    """The delimiter that gives the most lines with the same (largest) number of fields."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", (0, 0)
    for delimiter in _DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise RosterFileError("bad xlsx", message_key="roster.error.file_unreadable") from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 4101 as 4101.0
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _table(rows: Iterable[list[str]], *, source: str, delimiter: str = "", encoding: str = "") -> Table:
    """Find the header among the first rows, then keep every non-empty row after it."""
    numbered: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(rows, start=1):
            cells = [c.strip()[:MAX_CELL] for c in cells[:MAX_COLUMNS]]
            if not any(cells):
                continue
            if len(numbered) > MAX_ROWS + _HEADER_SCAN:
                raise RosterFileError("rows", message_key="roster.error.too_many_rows", rows=MAX_ROWS)
            numbered.append((number, cells))
    except csv.Error as error:
        raise RosterFileError("csv", message_key="roster.error.file_unreadable") from error
    header_at = _header_index([cells for _, cells in numbered[:_HEADER_SCAN]])
    if header_at is None:
        raise RosterFileError("no header", message_key="roster.error.no_header")
    headers = _unique_headers(numbered[header_at][1])
    width = len(headers)
    body: list[list[str]] = []
    row_numbers: list[int] = []
    for number, cells in numbered[header_at + 1 :]:
        padded = cells[:width] + [""] * (width - len(cells))
        if any(padded):
            body.append(padded)
            row_numbers.append(number)
    if not body:
        raise RosterFileError("no rows", message_key="roster.error.no_rows")
    return Table(headers, body, row_numbers, source, delimiter, encoding)


def _header_index(first_rows: list[list[str]]) -> int | None:
    """The row that looks most like a header: most cells we recognise, else the first full-width row.

    Title rows ("Leerlingenlijst 2025-2026", "Export: 01-09-2025") fill one or two cells only.
    """
    if not first_rows:
        return None
    scores = [sum(1 for c in cells if header_score(c) > 0) for cells in first_rows]
    best = max(range(len(first_rows)), key=lambda i: (scores[i], -i))
    if scores[best] >= 2:
        return best
    widths = [sum(1 for c in cells if c) for cells in first_rows]
    widest = max(widths)
    if widest < 2:
        return None
    return next(i for i, w in enumerate(widths) if w == widest)


def _unique_headers(cells: list[str]) -> list[str]:
    """Strip trailing empty headers; name empty ones after their column; number repeats."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    seen: Counter[str] = Counter()
    headers = []
    for index, cell in enumerate(cells, start=1):
        name = " ".join(cell.split()) or f"#{index}"
        seen[name.lower()] += 1
        headers.append(name if seen[name.lower()] == 1 else f"{name} ({seen[name.lower()]})")
    return headers
