"""The registry of personal data covers the schema: a new table or column cannot be forgotten."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import SQLModel

import ogp_app.models  # noqa: F401 - every table registered
from ogp_app.services.formats.csv_safety import safe_csv_cell
from ogp_app.services.privacy import registry
from ogp_app.services.privacy.registry import Erase, no_personal_data


def _points_at_a_person(column: object) -> bool:
    name = getattr(column, "name", "")
    fks: set[Any] = getattr(column, "foreign_keys", set())
    return name.endswith("user_id") or any(fk.target_fullname == "user.id" for fk in fks)


def test_every_table_is_declared_with_personal_data_or_a_reason_why_not() -> None:
    declared = registry.load()
    missing = sorted(set(SQLModel.metadata.tables) - set(declared))
    assert missing == [], f"declare these tables in ogp_app/services/privacy/domains/: {missing}"
    for declaration in declared.values():
        assert declaration.reason.strip(), declaration.table
        if declaration.holds_personal_data:
            assert declaration.personal, f"{declaration.table}: name its personal columns"


def test_declared_columns_exist() -> None:
    for name, declaration in registry.load().items():
        table = SQLModel.metadata.tables.get(name)
        assert table is not None, f"{name} is declared but no longer exists"
        gone = sorted(set(declaration.personal + declaration.secret) - set(table.c.keys()))
        assert gone == [], f"{name}: declared columns no longer exist: {gone}"


def test_every_column_pointing_at_an_account_is_declared_personal() -> None:
    for name, declaration in registry.load().items():
        table = SQLModel.metadata.tables[name]
        for column in table.columns:
            if _points_at_a_person(column):
                assert column.name in declaration.personal, f"{name}.{column.name} points at a person"
                assert declaration.erase is not Erase.KEEP, f"{name} keeps a link to an erased account"


def test_tables_with_personal_data_say_how_to_find_a_persons_rows_or_the_schools() -> None:
    for table, declaration in registry.tables():
        assert declaration is not None
        if declaration.holds_personal_data:
            has_school_rows = registry.school_filter(table, declaration, 1) is not None
            assert declaration.user_rows is not None or has_school_rows, table.name


def test_a_table_cannot_be_declared_twice_or_without_a_reason() -> None:
    registry.load()
    with pytest.raises(ValueError, match="twice"):
        no_personal_data("user", reason="again")
    with pytest.raises(ValueError, match="reason"):
        no_personal_data("not_a_table", reason=" ")


def test_hash_and_key_columns_never_leave_in_an_export() -> None:
    for table, declaration in registry.tables():
        exported = registry.exported_columns(table, declaration)
        leaking = [c for c in exported if c.endswith(("_hash", "_encrypted")) or c == "password_hash"]
        assert leaking == [], f"{table.name} would export {leaking}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\t=1", "'\t=1"),
        ("Jansen", "Jansen"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_evaluate_get_an_apostrophe(value: str, expected: str) -> None:
    assert safe_csv_cell(value) == expected
