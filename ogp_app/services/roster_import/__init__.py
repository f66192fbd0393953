"""Roster import: CSV/XLSX from Dutch school administration systems into classes, pupils, guardians
and teachers. Read (``reading``, in a child process: ``isolated``) -> map columns (``fields``,
``mappings``) -> check rows (``records``) -> compare with the roster (``existing``, ``plan``) -> write in
one transaction (``apply``). ``service.run_import`` ties them together for the page, the CLI and the
benchmark.

The modules that need the database load on first use, so the reader child imports only the reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ogp_app.services.roster_import.errors import Issue, MappingError, RosterFileError
from ogp_app.services.roster_import.fields import FIELDS, REQUIRED, suggest_mapping
from ogp_app.services.roster_import.reading import Table, read_table

if TYPE_CHECKING:
    from ogp_app.services.roster_import.mappings import (
        apply_saved,
        parse_mapping,
        save_mapping,
        saved_mapping,
    )
    from ogp_app.services.roster_import.plan import KINDS, Counts, Plan
    from ogp_app.services.roster_import.service import ImportOptions, ImportResult, open_table, run_import

_LAZY = {
    **dict.fromkeys(("apply_saved", "parse_mapping", "save_mapping", "saved_mapping"), "mappings"),
    **dict.fromkeys(("KINDS", "Counts", "Plan"), "plan"),
    **dict.fromkeys(("ImportOptions", "ImportResult", "open_table", "run_import"), "service"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)


__all__ = [
    "FIELDS",
    "KINDS",
    "REQUIRED",
    "Counts",
    "ImportOptions",
    "ImportResult",
    "Issue",
    "MappingError",
    "Plan",
    "RosterFileError",
    "Table",
    "apply_saved",
    "open_table",
    "parse_mapping",
    "read_table",
    "run_import",
    "save_mapping",
    "saved_mapping",
    "suggest_mapping",
]
