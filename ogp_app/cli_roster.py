"""`ogp import-roster`: the roster import service for operators, with a JSON summary as the last line."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlmodel import select

from ogp_app.core.db import school_session, session
from ogp_app.i18n import translate
from ogp_app.models import School
from ogp_app.services.roster_import import (
    ImportOptions,
    MappingError,
    RosterFileError,
    parse_mapping,
    run_import,
)
from ogp_app.services.roster_import.service import ImportResult

EXIT_OK, EXIT_FILE_ERRORS, EXIT_USAGE = 0, 1, 2
_EMPTY = {"classes": 0, "pupils": 0, "guardians": 0, "teachers": 0}


def _fail(message: str, code: int, *, field: str | None = None) -> int:
    click.echo(message, err=True)
    summary = {
        "created": _EMPTY,
        "updated": _EMPTY,
        "archived": _EMPTY,
        "errors": [{"row": None, "field": field, "message": message}],
    }
    click.echo(json.dumps(summary, ensure_ascii=False))
    return code


def run_import_roster(
    *,
    slug: str,
    path: str,
    mapping_path: str | None,
    dry_run: bool,
    archive_missing: bool,
    only_valid_rows: bool,
) -> int:
    with session() as db:
        school_id = db.exec(select(School.id).where(School.slug == slug)).first()
    if school_id is None:
        return _fail(f"unknown school: {slug}", EXIT_USAGE)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror}", EXIT_USAGE)
    mapping = None
    if mapping_path is not None:
        try:
            mapping = parse_mapping(Path(mapping_path).read_bytes())
        except OSError as error:
            return _fail(f"cannot read {mapping_path}: {error.strerror}", EXIT_USAGE)
        except MappingError as error:
            return _fail(f"bad mapping file: {_text(error)}", EXIT_USAGE)
    options = ImportOptions(dry_run=dry_run, archive_missing=archive_missing, only_valid_rows=only_valid_rows)
    try:
        with school_session(school_id) as db:
            result = run_import(db, school_id=school_id, data=data, mapping=mapping, options=options)
    except RosterFileError as error:
        return _fail(_text(error), EXIT_USAGE)
    except MappingError as error:  # the file lacks a required column
        return _fail(_text(error), EXIT_FILE_ERRORS)
    return _report(result, dry_run=dry_run)


def _report(result: ImportResult, *, dry_run: bool) -> int:
    summary = result.summary("en")
    if dry_run:  # show what would happen
        summary["created"] = result.plan.create.as_dict()
        summary["updated"] = result.plan.update.as_dict()
        summary["archived"] = result.plan.archive.as_dict()
    if result.issues:
        click.echo(f"{len(result.issues)} problem(s) in {result.total_rows} rows", err=True)
    click.echo(json.dumps(summary, ensure_ascii=False))
    if result.issues and not (result.written and not dry_run):
        return EXIT_FILE_ERRORS
    return EXIT_OK


def _text(error: RosterFileError | MappingError) -> str:
    return translate(error.message_key, "en", **getattr(error, "message_values", {}))
