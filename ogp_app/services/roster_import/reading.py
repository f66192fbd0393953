"""Turn uploaded bytes into a table of text cells: CSV (any Dutch Excel flavour) or XLSX, in memory.

Nothing is written to disk. CSV: UTF-8 with or without BOM, else Windows-1252; the delimiter is the one
of ``;``, ``,`` and tab that splits the first lines most consistently. XLSX: the first sheet, read with
calamine after ``xlsx_checks``. Title rows above the header (a school name, an export
date) are skipped. Every limit (``limits``) is a refusal that names it, never a silent cut or a crash.
The app and the CLI run this in a child process with a time and memory limit (``isolated``).
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
from ogp_app.services.roster_import.limits import (
    MAX_BYTES,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_FIELD,
    MAX_LINES,
    MAX_ROWS,
)
from ogp_app.services.roster_import.xlsx_checks import check_xlsx

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
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1]
        except csv.Error:  # a line too long to be one field: not this delimiter
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The first sheet's rows from row 1 and column A (calamine: a Rust reader, 20x openpyxl's speed)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_xlsx(archive)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0) if workbook.sheet_names else None
    except (zipfile.BadZipFile, CalamineError, KeyError, ValueError, OSError, EOFError) as error:
        raise RosterFileError("bad xlsx", message_key="roster.error.file_unreadable") from error
    if sheet is None:
        return
    lead = [""] * sheet.start[1] if sheet.start else []  # rows begin at the sheet's first used column
    for values in sheet.iter_rows():
        yield lead + [_cell_text(v) for v in values]


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
    number = 0
    try:
        for number, cells in enumerate(rows, start=1):
            if number > MAX_LINES:
                raise RosterFileError("lines", message_key="roster.error.too_many_lines", limit=MAX_LINES)
            cells = _bounded(cells, row=number)
            if not any(cells):
                continue
            if len(numbered) > MAX_ROWS + _HEADER_SCAN:
                raise RosterFileError("rows", message_key="roster.error.too_many_rows", rows=MAX_ROWS)
            numbered.append((number, cells))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own, larger limit
            raise _field_too_large(number + 1) from error
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


def _bounded(cells: list[str], *, row: int) -> list[str]:
    """The row's cells, stripped and cut to MAX_CELL; refused past MAX_COLUMNS or MAX_FIELD.

    Empty cells at the end do not count as columns (spreadsheets pad rows with them).
    """
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    if width > MAX_COLUMNS:
        raise RosterFileError(
            "columns", message_key="roster.error.too_many_columns", row=row, columns=width, limit=MAX_COLUMNS
        )
    if any(len(c) > MAX_FIELD for c in cells[:width]):
        raise _field_too_large(row)
    return [c.strip()[:MAX_CELL] for c in cells[:width]]


def _field_too_large(row: int) -> RosterFileError:
    return RosterFileError("field", message_key="roster.error.field_too_large", row=row, limit=MAX_FIELD)


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
