"""Hostile roster files, made on the fly (tests and bench/hostile.py): each must be refused by a limit.

XLSX parts are written through ``zipfile`` in chunks, so making a 240 MB bomb costs no 240 MB here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Leerlingen" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Roepnaam</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Achternaam</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Groep</t></is></c></row>'
)


def _row(number: int) -> str:
    return (
        f'<row r="{number}"><c r="A{number}" t="s"><v>0</v></c>'
        f'<c r="B{number}" t="inlineStr"><is><t>Aal</t></is></c>'
        f'<c r="C{number}" t="inlineStr"><is><t>1</t></is></c></row>'
    )


def _workbook(sheet_rows: Iterable[str], shared_strings: Iterable[str], *, dimension: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        if dimension:
            head += f'<dimension ref="{dimension}"/>'
        _stream(
            archive,
            "xl/worksheets/sheet1.xml",
            [head, "<sheetData>", *sheet_rows, "</sheetData></worksheet>"],
        )
        _stream(
            archive,
            "xl/sharedStrings.xml",
            [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">', *shared_strings, "</sst>"],
        )
    return out.getvalue()


def _stream(archive: zipfile.ZipFile, name: str, pieces: Iterable[str]) -> None:
    with archive.open(name, "w", force_zip64=True) as part:
        batch: list[str] = []
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= 1 << 20:  # write in pieces of about 1 MB
                part.write("".join(batch).encode())
                batch, size = [], 0
        part.write("".join(batch).encode())


def normal_xlsx(rows: int = 3) -> bytes:
    """A small, honest workbook: a header and ``rows`` pupils."""
    return _workbook([_HEADER_ROW, *(_row(n) for n in range(2, rows + 2))], ["<si><t>Ada</t></si>"])


def shared_strings_bomb(unpacked_mb: int = 240) -> bytes:
    """One sheet, and shared strings that unpack to ``unpacked_mb`` MB (a few hundred KB packed)."""
    text = "A" * 1_000_000
    strings = ["<si><t>Ada</t></si>", *(f"<si><t>{text}</t></si>" for _ in range(unpacked_mb))]
    return _workbook([_HEADER_ROW, _row(2)], strings)


def empty_rows_bomb(rows: int = 20_000_000, *, dimension: bool = False, numbered: bool = True) -> bytes:
    """A header, ``rows`` empty rows (each its own element) and one pupil; the dimension only if asked.
    Without ``numbered`` the rows carry no ``r`` (it is optional) and pack a thousandfold."""
    empty = (f'<row r="{n}"/>' if numbered else "<row/>" for n in range(2, rows + 2))
    last = rows + 2
    return _workbook(
        [_HEADER_ROW, *empty, _row(last)],
        ["<si><t>Ada</t></si>"],
        dimension=f"A1:C{last}" if dimension else "",
    )


def far_row_xlsx(row: int = 20_000_000) -> bytes:
    """A header and one pupil on row ``row``: tiny, but a reader that fills the gap walks every row."""
    return _workbook([_HEADER_ROW, _row(row)], ["<si><t>Ada</t></si>"])


def wide_csv(columns: int = 100_000) -> bytes:
    header = ";".join(f"k{n}" for n in range(columns))
    return f"{header}\n{';'.join('x' * columns)}\n".encode()


def huge_field_csv(characters: int = 200_000) -> bytes:
    return f"Roepnaam;Achternaam;Groep\nAda;{'x' * characters};1\n".encode()


def too_large_csv(megabytes: int = 11) -> bytes:
    line = b"Ada;Aal;1\n"
    return b"Roepnaam;Achternaam;Groep\n" + line * (megabytes * 2**20 // len(line) + 1)


def many_strings_xlsx(count: int = 400_001) -> bytes:
    """Distinct short texts (packing barely shrinks them): past the count, under every size limit."""
    texts = (f"<si><t>{n:08x}{(n * 2654435761) % 2**32:08x}</t></si>" for n in range(count))
    return _workbook([_HEADER_ROW, _row(2)], texts)


def many_parts_xlsx(parts: int = 300) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(parts):
            archive.writestr(f"xl/media/image{n}.png", b"")
    return out.getvalue()
