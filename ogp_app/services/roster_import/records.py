"""Rows of a table, through a column mapping, into checked pupil records with per-row, per-field issues.

Rules:
- a pupil needs a first name, a last name and a class; names and classes are trimmed, inner spaces
  collapsed, control characters refused;
- e-mail addresses must be one plain address; they are lower-cased (guardians and teachers are matched
  by e-mail);
- a guardian's language is a code or a language's name (services.mail.languages); another value is an error;
- a teacher name needs the teacher's e-mail (a teacher is found by e-mail); a guardian without e-mail
  is left out (only an address can receive an invitation);
- the same pupil number twice is an error, unless both rows describe the same pupil (some systems write
  one row per guardian): then the rows are merged. Without a number, name + class identifies a pupil.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ogp_app.services.accounts._common import InvalidEmail, normalise_email
from ogp_app.services.mail.languages import parse_language
from ogp_app.services.roster_import import fields as f
from ogp_app.services.roster_import.errors import Issue, MappingError
from ogp_app.services.roster_import.reading import Table

_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX = {
    f.PUPIL_NUMBER: 40,
    f.FIRST_NAME: 100,
    f.NAME_PREFIX: 30,
    f.LAST_NAME: 150,
    f.CLASS_NAME: 60,
    "name": 200,
    "address": 200,
    "language": 40,
}


@dataclass
class Person:
    email: str  # lower-case
    name: str  # may be empty: the e-mail address stands in
    address: str = ""  # normalised; "" when the file gives none
    language: str | None = None  # ISO 639 code (services.mail.languages); None when the file gives none


@dataclass
class PupilRecord:
    row: int
    pupil_number: str | None
    first_name: str
    name_prefix: str | None
    last_name: str
    class_name: str
    guardians: list[Person] = field(default_factory=list)
    teachers: list[Person] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, ...]:
        """Identity within the school: the pupil number, else name + class (case-insensitive)."""
        if self.pupil_number:
            return ("n", self.pupil_number)
        return name_key(self.first_name, self.name_prefix, self.last_name, self.class_name)


def name_key(first: str, prefix: str | None, last: str, class_name: str) -> tuple[str, ...]:
    return ("k", first.casefold(), (prefix or "").casefold(), last.casefold(), class_name.casefold())


@dataclass
class CheckedFile:
    records: list[PupilRecord]  # from rows without issues
    issues: list[Issue]
    total_rows: int
    invalid_rows: set[int]
    mapped: frozenset[str]  # fields the mapping uses
    # Identities named on rows with issues: never archived as leavers when only valid rows are imported.
    protected_keys: set[tuple[str, ...]] = field(default_factory=set)


def column_indexes(headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """field -> column index; refuses unknown fields, a field mapped twice and missing required fields."""
    where = {h: i for i, h in enumerate(headers)}
    indexes: dict[str, int] = {}
    for header, target in mapping.items():
        if not target:
            continue
        if target not in f.FIELDS:
            raise MappingError("field", message_key="roster.error.mapping_unknown_field", field=target)
        if target in indexes:
            raise MappingError("twice", message_key="roster.error.mapping_twice", field=target)
        if header in where:
            indexes[target] = where[header]
    missing = [name for name in f.REQUIRED if name not in indexes]
    if missing:
        raise MappingError("missing", fields=", ".join(missing))
    return indexes


def _clean(value: str) -> str | None:
    """One line of text, or None when it holds control characters (tabs and newlines become spaces)."""
    text = " ".join(value.split())
    if text.isascii():
        return None if _ASCII_CONTROL.search(text) else text
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in text):
        return None
    return text


def _normalise_address(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().casefold()
    return "".join(c for c in text if c.isalnum())


class _RowReader:
    def __init__(self, row: int, cells: list[str], indexes: dict[str, int]) -> None:
        self.row, self.cells, self.indexes = row, cells, indexes
        self.issues: list[Issue] = []

    def text(self, name: str, limit_key: str | None = None) -> str:
        index = self.indexes.get(name)
        if index is None:
            return ""
        cleaned = _clean(self.cells[index])
        if cleaned is None:
            self.issues.append(Issue(self.row, name, "roster.error.control_characters"))
            return ""
        limit = _MAX[limit_key or name]
        if len(cleaned) > limit:
            self.issues.append(Issue(self.row, name, "roster.error.too_long", {"max": limit}))
            return ""
        return cleaned

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value and not any(i.field == name for i in self.issues):
            self.issues.append(Issue(self.row, name, f"roster.error.{name}_missing"))
        return value

    def language(self, name: str) -> str | None:
        """A language code or name; one we do not know is an issue naming the value."""
        value = self.text(name, "language")
        if not value:
            return None
        code = parse_language(value)
        if code is None:
            self.issues.append(Issue(self.row, name, "households.error.language_unknown", {"value": value}))
        return code

    def email(self, name: str) -> str:
        value = self.text(name, "name")
        if not value:
            return ""
        try:
            return normalise_email(value)
        except InvalidEmail:
            self.issues.append(Issue(self.row, name, "roster.error.email_invalid", {"value": value}))
            return ""


def _read_row(row: int, cells: list[str], indexes: dict[str, int]) -> tuple[PupilRecord, list[Issue]]:
    r = _RowReader(row, cells, indexes)
    record = PupilRecord(
        row=row,
        pupil_number=r.text(f.PUPIL_NUMBER) or None,
        first_name=r.required(f.FIRST_NAME),
        name_prefix=r.text(f.NAME_PREFIX) or None,
        last_name=r.required(f.LAST_NAME),
        class_name=r.required(f.CLASS_NAME),
    )
    for slot in f.GUARDIAN_SLOTS:
        email = r.email(f"guardian{slot}_email")
        name = r.text(f"guardian{slot}_name", "name")
        address = _normalise_address(r.text(f"guardian{slot}_address", "address"))
        language = r.language(f"guardian{slot}_language")
        if email and all(g.email != email for g in record.guardians):
            record.guardians.append(Person(email, name, address, language))
    for slot in f.TEACHER_SLOTS:
        email = r.email(f"teacher{slot}_email")
        name = r.text(f"teacher{slot}_name", "name")
        if name and not email and not any(i.field == f"teacher{slot}_email" for i in r.issues):
            r.issues.append(Issue(row, f"teacher{slot}_email", "roster.error.teacher_email_missing"))
        if email and all(t.email != email for t in record.teachers):
            record.teachers.append(Person(email, name))
    return record, r.issues


def _same_pupil(a: PupilRecord, b: PupilRecord) -> bool:
    return name_key(a.first_name, a.name_prefix, a.last_name, a.class_name) == name_key(
        b.first_name, b.name_prefix, b.last_name, b.class_name
    )


def check_rows(
    table: Table, mapping: dict[str, str], *, known_classes: set[str] | None = None
) -> CheckedFile:
    """Validate every row. ``known_classes`` (case-folded names): when given, other classes are errors."""
    indexes = column_indexes(table.headers, mapping)
    issues: list[Issue] = []
    by_key: dict[tuple[str, ...], PupilRecord] = {}
    invalid: set[int] = set()
    protected: set[tuple[str, ...]] = set()
    for row, cells in zip(table.row_numbers, table.rows, strict=True):
        record, row_issues = _read_row(row, cells, indexes)
        if (
            record.class_name
            and known_classes is not None
            and record.class_name.casefold() not in known_classes
        ):
            row_issues.append(
                Issue(row, f.CLASS_NAME, "roster.error.class_unknown", {"value": record.class_name})
            )
        if not row_issues:
            earlier = by_key.get(record.key)
            if earlier is not None and not _same_pupil(earlier, record):
                field_name = f.PUPIL_NUMBER if record.pupil_number else f.LAST_NAME
                key = (
                    "roster.error.pupil_number_duplicate"
                    if record.pupil_number
                    else "roster.error.pupil_duplicate"
                )
                row_issues.append(
                    Issue(
                        row, field_name, key, {"value": record.pupil_number or "", "first_row": earlier.row}
                    )
                )
            elif earlier is not None:  # one row per guardian: merge into the first row's pupil
                for person in record.guardians:
                    if all(g.email != person.email for g in earlier.guardians):
                        earlier.guardians.append(person)
                for person in record.teachers:
                    if all(t.email != person.email for t in earlier.teachers):
                        earlier.teachers.append(person)
                continue
            else:
                by_key[record.key] = record
        if row_issues:
            protected.add(record.key)
            invalid.add(row)
            issues.extend(row_issues)
    return CheckedFile(
        records=list(by_key.values()),
        issues=issues,
        total_rows=len(table.rows),
        invalid_rows=invalid,
        mapped=frozenset(indexes),
        protected_keys=protected,
    )
