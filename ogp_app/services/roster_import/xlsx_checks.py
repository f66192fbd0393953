"""Checks on an XLSX before a parser reads it: the ZIP's directory, then bounded streaming counts.

A workbook is a ZIP of XML parts. ``zipfile`` never unpacks a part past the size its directory declares,
so the declared sizes bound the work; the counts stop at their limit, so a bomb costs one limit's worth.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from ogp_app.services.roster_import import limits
from ogp_app.services.roster_import.errors import RosterFileError

_SHEETS = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_SHARED_STRINGS = "xl/sharedstrings.xml"
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>](?:[^>]*?\br=\"(\d{1,9})\")?")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+\d+:)?([A-Z]+)(\d+)\"")
_CHUNK = 256 * 1024
_OVERLAP = 64  # longer than any pattern above


def check_xlsx(archive: zipfile.ZipFile) -> None:
    """Raise RosterFileError naming the first limit the workbook exceeds."""
    parts = archive.infolist()
    if len(parts) > limits.MAX_PARTS:
        raise RosterFileError("parts", message_key="roster.error.xlsx_too_many_parts", limit=limits.MAX_PARTS)
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > limits.MAX_PART_UNPACKED or total > limits.MAX_UNPACKED:
            raise RosterFileError(
                "unpacked",
                message_key="roster.error.xlsx_unpacked_too_large",
                megabytes=limits.megabytes(limits.MAX_PART_UNPACKED),
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > limits.RATIO_FROM and ratio > limits.MAX_RATIO:
            raise RosterFileError("ratio", message_key="roster.error.xlsx_ratio", ratio=limits.MAX_RATIO)
    for part in parts:
        name = part.filename.lower()
        if name == _SHARED_STRINGS:
            _check_shared_strings(archive, part)
        elif _SHEETS.fullmatch(part.filename):
            _check_sheet(archive, part)


def _check_shared_strings(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    limit = limits.MAX_SHARED_STRINGS
    if _count(archive, part, _SHARED_STRING, stop_after=limit) > limit:
        raise RosterFileError("shared strings", message_key="roster.error.xlsx_shared_strings", limit=limit)


def _check_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    with archive.open(part) as stream:
        head = stream.read(4096)
    declared = _DIMENSION.search(head)
    if declared:
        columns, rows = column_number(declared.group(1).decode()), int(declared.group(2))
        if rows > limits.MAX_LINES or columns > limits.MAX_COLUMNS:
            raise RosterFileError(
                "dimension",
                message_key="roster.error.xlsx_dimension",
                rows=rows,
                columns=columns,
                max_rows=limits.MAX_LINES,
                max_columns=limits.MAX_COLUMNS,
            )
    # Rows are counted with the empty ones, and a row numbered past the limit counts as that many: a
    # reader fills the gap before it with empty rows.
    if _count(archive, part, _ROW, stop_after=limits.MAX_LINES) > limits.MAX_LINES:
        raise RosterFileError("lines", message_key="roster.error.too_many_lines", limit=limits.MAX_LINES)


def column_number(letters: str) -> int:
    """``A`` -> 1, ``T`` -> 20, ``XFD`` -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _count(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, pattern: re.Pattern[bytes], *, stop_after: int
) -> int:
    """Matches of ``pattern`` in the part, streamed; stops counting once past ``stop_after``. A number the
    pattern captures (a row's ``r``) raises the count to it."""
    found = 0
    for tail, chunk in _chunks(archive, part):
        buffer = tail + chunk
        # A match wholly inside the tail was counted with the previous chunk.
        for match in pattern.finditer(buffer):
            if match.end() > len(tail):
                numbered = match.groups() and match.group(1)
                found = max(found + 1, int(numbered) if numbered else 0)
        if found > stop_after:
            break
    return found


def _chunks(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[tuple[bytes, bytes]]:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            yield tail, chunk
            tail = (tail + chunk)[-_OVERLAP:]
