"""Roster import: CSV/XLSX from Dutch school administration systems into classes, pupils, guardians
and teachers. Read (``reading``) -> map columns (``fields``, ``mappings``) -> check rows (``records``)
-> compare with the roster (``existing``, ``plan``) -> write in one transaction (``apply``).
``service.run_import`` ties them together for the page, the CLI and the benchmark.
"""

from ogp_app.services.roster_import.errors import Issue, MappingError, RosterFileError
from ogp_app.services.roster_import.fields import FIELDS, REQUIRED, suggest_mapping
from ogp_app.services.roster_import.mappings import apply_saved, parse_mapping, save_mapping, saved_mapping
from ogp_app.services.roster_import.plan import KINDS, Counts, Plan
from ogp_app.services.roster_import.reading import Table, read_table
from ogp_app.services.roster_import.service import ImportOptions, ImportResult, open_table, run_import

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
