"""Reading roster files: every quirk of Dutch school exports, without a database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ogp_app.services.formats.csv_safety import safe_csv_cell
from ogp_app.services.roster_import import RosterFileError, read_table, suggest_mapping
from ogp_app.services.roster_import.families import family_keys
from ogp_app.services.roster_import.reading import MAX_BYTES

CORPUS = Path(__file__).parent.parent / "fixtures" / "roster"


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding", "first_row"),
    [
        ("parnassys_semicolon_bom.csv", ";", "utf-8", 5),  # three title rows above the header
        ("magister_comma.csv", ",", "utf-8", 2),
        ("somtoday_tab_cp1252.txt", "\t", "windows-1252", 2),
    ],
)
def test_csv_flavours(name: str, delimiter: str, encoding: str, first_row: int) -> None:
    table = read_table((CORPUS / name).read_bytes())
    assert (table.delimiter, table.encoding, table.row_numbers[0]) == (delimiter, encoding, first_row)
    assert not table.headers[0].startswith("\ufeff")


def test_windows_1252_accents_survive() -> None:
    table = read_table((CORPUS / "somtoday_tab_cp1252.txt").read_bytes())
    assert [row[1] for row in table.rows] == ["Hélène", "Chloë"]
    assert table.rows[0][3] == "Peña"


def test_quoted_commas_stay_in_one_cell() -> None:
    table = read_table((CORPUS / "magister_comma.csv").read_bytes())
    assert table.rows[0][table.headers.index("Mentor")] == "Bakker, J."


def test_xlsx_first_sheet_with_title_row_and_numbers_as_excel_stores_them() -> None:
    table = read_table((CORPUS / "handmade.xlsx").read_bytes())
    assert table.source == "xlsx"
    assert table.headers[:4] == ["Nr", "Voornaam", "Achternaam", "Klas"]
    assert [row[0] for row in table.rows] == ["8001", "8002", "8003"]  # 8002.0 in the sheet
    assert table.row_numbers == [4, 5, 6]


def test_repeated_and_empty_headers_get_unique_names() -> None:
    table = read_table(b"Naam;E-mail;E-mail;;Groep\nA;a@x.nl;b@x.nl;?;1\n")
    assert table.headers == ["Naam", "E-mail", "E-mail (2)", "#4", "Groep"]


def test_short_rows_are_padded_and_blank_rows_skipped() -> None:
    table = read_table(b"Roepnaam;Achternaam;Groep\nAda;Aal\n;;\n\nBen;Beek;1\n")
    assert table.rows == [["Ada", "Aal", ""], ["Ben", "Beek", "1"]]
    assert table.row_numbers == [2, 5]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "roster.error.file_empty"),
        (b"  \r\n ", "roster.error.file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "roster.error.xls_unsupported"),
        (b"PK\x03\x04broken zip", "roster.error.file_unreadable"),
        (b"just one title line\n", "roster.error.no_header"),
        (b"Roepnaam;Achternaam;Groep\n", "roster.error.no_rows"),
        (b"a\x00b;c\n", "roster.error.file_unreadable"),
    ],
)
def test_unreadable_files_say_why(data: bytes, key: str) -> None:
    with pytest.raises(RosterFileError) as caught:
        read_table(data)
    assert caught.value.message_key == key


def test_too_large_file_is_refused_before_parsing() -> None:
    with pytest.raises(RosterFileError) as caught:
        read_table(b"a;b\n" * (MAX_BYTES // 4 + 1))
    assert caught.value.message_key == "roster.error.file_too_large"


def test_xlsx_is_read_in_memory_from_bytes() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Roepnaam", "Achternaam", "Groep"])
    sheet.append(["Ada", "Aal", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue())
    assert table.rows == [["Ada", "Aal", "3"]]


HEADER_SETS = {
    "parnassys": (
        [
            "Leerlingnummer",
            "Roepnaam",
            "Voornamen",
            "Tussenvoegsel",
            "Achternaam",
            "Groep",
            "E-mail ouder/verzorger 1",
            "E-mail ouder/verzorger 2",
            "Groepsleerkracht",
        ],
        {
            "Leerlingnummer": "pupil_number",
            "Roepnaam": "first_name",
            "Tussenvoegsel": "name_prefix",
            "Achternaam": "last_name",
            "Groep": "class_name",
            "E-mail ouder/verzorger 1": "guardian1_email",
            "E-mail ouder/verzorger 2": "guardian2_email",
            "Groepsleerkracht": "teacher1_name",
        },
    ),
    "magister": (
        [
            "Stamnr",
            "Roepnaam",
            "Tussenv.",
            "Achternaam",
            "Klas",
            "Mentor",
            "E-mail mentor",
            "E-mailadres ouder 1",
            "E-mailadres ouder 2",
            "Telefoon ouder 1",
        ],
        {
            "Stamnr": "pupil_number",
            "Roepnaam": "first_name",
            "Tussenv.": "name_prefix",
            "Achternaam": "last_name",
            "Klas": "class_name",
            "Mentor": "teacher1_name",
            "E-mail mentor": "teacher1_email",
            "E-mailadres ouder 1": "guardian1_email",
            "E-mailadres ouder 2": "guardian2_email",
        },
    ),
    "english": (
        [
            "Student ID",
            "First name",
            "Last Name",
            "Class",
            "Parent 1 e-mail",
            "Parent 2 Email",
            "Parent 1 name",
            "Teacher",
            "Teacher e-mail",
        ],
        {
            "Student ID": "pupil_number",
            "First name": "first_name",
            "Last Name": "last_name",
            "Class": "class_name",
            "Parent 1 e-mail": "guardian1_email",
            "Parent 2 Email": "guardian2_email",
            "Parent 1 name": "guardian1_name",
            "Teacher": "teacher1_name",
            "Teacher e-mail": "teacher1_email",
        },
    ),
    "hand-made": (
        ["  ROEPNAAM ", "achter-naam", "KLAS", "e-mail 1", "e-mail 2", "Geboortedatum"],
        {
            "  ROEPNAAM ": "first_name",
            "achter-naam": "last_name",
            "KLAS": "class_name",
            "e-mail 1": "guardian1_email",
            "e-mail 2": "guardian2_email",
        },
    ),
}


@pytest.mark.parametrize("system", sorted(HEADER_SETS))
def test_header_suggestions(system: str) -> None:
    headers, expected = HEADER_SETS[system]
    assert suggest_mapping(headers) == expected


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+31 6 1234 abc", "'+31 6 1234 abc"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-3", "-3"),
        ("+31", "+31"),
        ("Anne-Marie", "Anne-Marie"),
        (None, ""),
        (4101, "4101"),
    ],
)
def test_safe_csv_cell(value: object, safe: str) -> None:
    assert safe_csv_cell(value) == safe


def test_family_keys_follow_chains_of_shared_guardians() -> None:
    keys = family_keys({1: [10, 11], 2: [11], 3: [12, 13], 4: [13, 14], 5: [14], 6: [], 7: [20]})
    assert keys[1] == keys[2] == 10
    assert keys[3] == keys[4] == keys[5] == 12
    assert keys[6] is None
    assert keys[7] == 20
