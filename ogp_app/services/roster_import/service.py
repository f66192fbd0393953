"""The roster import as the page, the CLI and the benchmark use it: preview, then one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from ogp_app.core.metrics import ROSTER_IMPORT_SECONDS, ROSTER_ROWS_IMPORTED
from ogp_app.models import School
from ogp_app.models.roster import PER_HOUSEHOLD
from ogp_app.services.roster_import.apply import apply_plan
from ogp_app.services.roster_import.errors import Issue
from ogp_app.services.roster_import.existing import load_class_names, load_existing, user_ids_by_email
from ogp_app.services.roster_import.fields import suggest_mapping
from ogp_app.services.roster_import.isolated import read_table_isolated
from ogp_app.services.roster_import.plan import Plan, build_plan
from ogp_app.services.roster_import.reading import Table
from ogp_app.services.roster_import.records import CheckedFile, check_rows

PREVIEW_ROWS = 10
Progress = Callable[[int, str], None]  # percent done, stage name


@dataclass(frozen=True)
class ImportOptions:
    archive_missing: bool = False  # archive pupils (and their then pupil-less guardians) not in the file
    only_valid_rows: bool = False  # import the valid rows even when others have errors
    allow_new_classes: bool = True  # False: a class the school does not have is an error
    dry_run: bool = False
    # pupils whose guardians live in two households: a conversation per household, or one joint one
    separated_meeting_mode: str = PER_HOUSEHOLD


@dataclass
class ImportResult:
    plan: Plan
    issues: list[Issue]
    total_rows: int
    valid_rows: int
    written: bool  # True once committed
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)

    def summary(self, language: str = "en") -> dict[str, object]:
        """The CLI's JSON: counts per kind, and each error's row, field and message."""
        done = self.written
        return {
            "created": self.plan.create.as_dict() if done else _zero(),
            "updated": self.plan.update.as_dict() if done else _zero(),
            "archived": self.plan.archive.as_dict() if done else _zero(),
            "errors": [{"row": i.row, "field": i.field, "message": i.message(language)} for i in self.issues],
        }


def _zero() -> dict[str, int]:
    return {"classes": 0, "pupils": 0, "guardians": 0, "teachers": 0}


def open_table(data: bytes) -> tuple[Table, dict[str, str]]:
    """Read the file (in a child process, within limits) and suggest a mapping (header -> field) for its
    columns. Blocking: call it from a worker thread in the app."""
    table = read_table_isolated(data)
    return table, suggest_mapping(table.headers)


def _check(db: Session, table: Table, mapping: dict[str, str], options: ImportOptions) -> CheckedFile:
    known = None
    if not options.allow_new_classes:
        known = load_class_names(db)
    return check_rows(table, mapping, known_classes=known)


def run_import(
    db: Session,
    *,
    school_id: int,
    data: bytes,
    mapping: dict[str, str] | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, check, plan and (unless a dry run, or the file has errors) write, all or nothing.

    ``db`` must be ``school_session(school_id)``. Nothing is written when any row has an issue, unless
    ``only_valid_rows``; then the rows with issues are left out (and their pupils are never archived).
    The operator's metrics get its duration by outcome and the rows it wrote.
    """
    options = options or ImportOptions()
    started, outcome = time.perf_counter(), "failed"
    try:
        result = _run_import(
            db, school_id=school_id, data=data, mapping=mapping, options=options, progress=progress
        )
        outcome = "written" if result.written else "dry_run" if options.dry_run else "refused"
        if result.written:
            ROSTER_ROWS_IMPORTED.inc(result.valid_rows)
        return result
    finally:
        ROSTER_IMPORT_SECONDS.labels(outcome).observe(time.perf_counter() - started)


def _run_import(
    db: Session,
    *,
    school_id: int,
    data: bytes,
    mapping: dict[str, str] | None,
    options: ImportOptions,
    progress: Progress | None,
) -> ImportResult:
    step = progress or (lambda _percent, _stage: None)
    if db.exec(select(School.id).where(School.id == school_id)).first() is None:
        raise ValueError("unknown school")
    step(5, "read")
    table, suggested = open_table(data)
    mapping = suggested if mapping is None else mapping
    step(20, "check")
    checked = _check(db, table, mapping, options)
    step(40, "plan")
    existing = load_existing(db)
    emails = {p.email for r in checked.records for p in (*r.guardians, *r.teachers)}
    plan = build_plan(
        checked,
        existing,
        user_ids=user_ids_by_email(db, emails),
        archive_missing=options.archive_missing,
    )
    result = ImportResult(
        plan=plan,
        issues=checked.issues,
        total_rows=checked.total_rows,
        valid_rows=checked.total_rows - len(checked.invalid_rows),
        written=False,
        headers=table.headers,
        mapping=mapping,
    )
    # A file without one valid row writes nothing, also with only_valid_rows (nor archives anyone by it).
    if options.dry_run or (checked.issues and not options.only_valid_rows) or result.valid_rows == 0:
        step(100, "done")
        return result
    step(60, "write")
    try:
        apply_plan(db, plan, existing, school_id=school_id, separated_mode=options.separated_meeting_mode)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    result.written = True
    step(100, "done")
    return result
