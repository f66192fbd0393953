"""Hostile roster files through the service (a child process per file): each is refused by a named limit,
in both languages, without the reading costing this process the file's unpacked size."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import psutil
import pytest

from ogp_app.i18n import translate
from ogp_app.services.roster_import import RosterFileError, limits
from ogp_app.services.roster_import.isolated import CHILD_MODULE, read_table_isolated
from tests.support import hostile_files


def _refusal(data: bytes) -> RosterFileError:
    with pytest.raises(RosterFileError) as caught:
        read_table_isolated(data)
    return caught.value


@pytest.mark.parametrize(
    ("make", "key", "values"),
    [
        (
            lambda: hostile_files.shared_strings_bomb(100),
            "roster.error.xlsx_unpacked_too_large",
            {"megabytes": 64},
        ),
        (lambda: hostile_files.shared_strings_bomb(40), "roster.error.xlsx_ratio", {"ratio": 100}),
        (hostile_files.many_strings_xlsx, "roster.error.xlsx_shared_strings", {"limit": 400_000}),
        (hostile_files.many_parts_xlsx, "roster.error.xlsx_too_many_parts", {"limit": 256}),
        (lambda: hostile_files.empty_rows_bomb(200_000), "roster.error.too_many_lines", {"limit": 100_000}),
        (
            lambda: hostile_files.empty_rows_bomb(200_000, dimension=True),
            "roster.error.xlsx_dimension",
            {"rows": 200_002, "columns": 3, "max_rows": 100_000, "max_columns": 200},
        ),
        (hostile_files.far_row_xlsx, "roster.error.too_many_lines", {"limit": 100_000}),
        (
            hostile_files.wide_csv,
            "roster.error.too_many_columns",
            {"row": 1, "columns": 100_000, "limit": 200},
        ),
        (
            lambda: hostile_files.wide_csv(201),
            "roster.error.too_many_columns",
            {"row": 1, "columns": 201, "limit": 200},
        ),
        (hostile_files.huge_field_csv, "roster.error.field_too_large", {"row": 2, "limit": 10_000}),
        (
            lambda: hostile_files.huge_field_csv(10_001),
            "roster.error.field_too_large",
            {"row": 2, "limit": 10_000},
        ),
        (hostile_files.too_large_csv, "roster.error.file_too_large", {"megabytes": 10}),
    ],
    ids=[
        "shared-strings-bomb",
        "packing-ratio",
        "shared-strings-count",
        "parts",
        "empty-rows-bomb",
        "declared-dimension",
        "one-far-row",
        "100k-columns",
        "201-columns",
        "huge-field",
        "field-just-over",
        "too-large",
    ],
)
def test_hostile_file_is_refused_with_its_limit(
    make: Callable[[], bytes], key: str, values: dict[str, int]
) -> None:
    data = make()
    tracemalloc.start()
    try:
        error = _refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (error.message_key, error.message_values) == (key, values)
    for language in ("nl", "en"):
        text = translate(key, language, **values)
        assert str(next(iter(values.values()))) in text
    assert peak < len(data) + 2 * 2**20, "the file was unpacked in this process"


def test_a_table_at_the_limits_still_reads() -> None:
    assert len(read_table_isolated(hostile_files.wide_csv(limits.MAX_COLUMNS)).headers) == 200
    table = read_table_isolated(hostile_files.huge_field_csv(limits.MAX_FIELD))
    assert len(table.rows[0][1]) == limits.MAX_CELL  # kept, cut to the cell length as before
    assert read_table_isolated(hostile_files.normal_xlsx(5)).rows[4] == ["Ada", "Aal", "1"]


def _reader_children() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if CHILD_MODULE in " ".join(p.cmdline())]


def test_a_reader_over_its_time_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "READ_SECONDS", 0.01)  # less than the child needs to start
    error = _refusal(hostile_files.normal_xlsx(3))
    assert (error.message_key, error.message_values) == ("roster.error.read_timeout", {"seconds": 0.01})
    assert _reader_children() == []


def test_a_reader_over_its_memory_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "READ_MEMORY", 16 * 2**20)  # less than the interpreter and the reader need
    error = _refusal(hostile_files.normal_xlsx(3))
    assert (error.message_key, error.message_values) == ("roster.error.read_memory", {"megabytes": 16})
