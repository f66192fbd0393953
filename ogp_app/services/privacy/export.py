"""Exports of personal data (GDPR art. 15 and 20): everything about one person, or one whole school.

The registry decides which rows belong to whom and which columns never leave (hashes, encrypted keys,
mail bodies with live links). The ZIP holds data.json (schema below, versioned), one CSV per table and
a README.txt in Dutch and English.

data.json, version 1::

    {"format": "ogp-privacy-export", "version": 1, "scope": "user" | "school",
     "generated_at": ISO-8601 UTC, "subject": {"user_id"/"email" | "school_id"/"slug"/"name"},
     "tables": {"<table>": {"description": str, "whose": str | null,
                            "columns": [str], "rows": [{column: value}]}}}

Values: strings, numbers, booleans, null, ISO-8601 timestamps (UTC) and, for JSON columns, objects.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Table, select
from sqlmodel import Session

from ogp_app.i18n import catalog, normalise_language
from ogp_app.models import School, User
from ogp_app.models.base import utcnow
from ogp_app.services.errors import DomainError
from ogp_app.services.formats.csv_safety import safe_csv_cell
from ogp_app.services.privacy.erasure import person_of
from ogp_app.services.privacy.registry import Declaration, exported_columns, school_filter, tables

FORMAT = "ogp-privacy-export"
VERSION = 1


@dataclass
class TableData:
    description: str
    whose: str | None
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Dataset:
    scope: str
    subject: dict[str, Any]
    generated_at: datetime
    tables: dict[str, TableData]
    language: str = "nl"  # of the descriptions: the person's (a school export: the admin's)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):  # round days keep local clock times
        return value.isoformat()
    return value


def _description(table: str, declaration: Declaration | None, language: str) -> str:
    return catalog(language).get(f"privacy.table.{table}", declaration.reason if declaration else table)


def _read(
    db: Session, table: Table, declaration: Declaration | None, where: ColumnElement[bool], language: str
) -> TableData:
    columns = exported_columns(table, declaration)
    query = select(*(table.c[name] for name in columns)).where(where).order_by(*table.primary_key.columns)
    rows = [{name: _json_value(value) for name, value in row._mapping.items()} for row in db.execute(query)]
    whose = declaration.subject.value if declaration and declaration.subject else None
    return TableData(_description(table.name, declaration, language), whose, columns, rows)


def collect_user(db: Session, *, user_id: int) -> Dataset:
    """Every row that is about the person, in an unscoped session (a person spans schools)."""
    user = db.get(User, user_id)
    if user is None:
        raise DomainError("no such account", message_key="privacy.error.no_account")
    person = person_of(user)
    language = normalise_language(user.preferred_language)
    found: dict[str, TableData] = {}
    for table, declaration in tables():
        if declaration is None or declaration.user_rows is None:
            continue
        data = _read(db, table, declaration, declaration.user_rows(table, person), language)
        if data.rows:
            found[table.name] = data
    subject = {"user_id": user_id, "email": user.email}
    return Dataset("user", subject, utcnow(), found, language)


def collect_school(db: Session, *, school_id: int, language: str = "nl") -> Dataset:
    """Every row of the tenant, table by table (undeclared tables too: nothing of the school is left out);
    descriptions in ``language`` (the admin's who asked)."""
    language = normalise_language(language)
    school = db.get(School, school_id)
    if school is None:
        raise DomainError("no such school", message_key="privacy.error.no_school")
    found: dict[str, TableData] = {}
    for table, declaration in tables():
        where = school_filter(table, declaration, school_id)
        if where is not None:
            found[table.name] = _read(db, table, declaration, where, language)
    subject = {"school_id": school_id, "slug": school.slug, "name": school.name}
    return Dataset("school", subject, utcnow(), found, language)


def to_json(dataset: Dataset) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "scope": dataset.scope,
        "generated_at": dataset.generated_at.isoformat(),
        "subject": dataset.subject,
        "tables": {
            name: {"description": d.description, "whose": d.whose, "columns": d.columns, "rows": d.rows}
            for name, d in dataset.tables.items()
        },
    }


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return safe_csv_cell(str(value))


def to_csv(data: TableData) -> str:
    """``;`` between cells: what Excel expects in the Netherlands (it reads ``,`` as one column)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(data.columns)
    for row in data.rows:
        writer.writerow([_csv_text(row.get(name)) for name in data.columns])
    return out.getvalue()


def readme(dataset: Dataset) -> str:
    """The README: the same explanation in Dutch and English, each file listed with its meaning."""
    parts: list[str] = []
    for language in sorted(("nl", "en"), key=lambda code: code != dataset.language):  # theirs first
        texts = catalog(language)
        parts.append(texts[f"privacy.readme.intro.{dataset.scope}"])
        parts.append(texts["privacy.readme.files"])
        parts.append(f"  data.json — {texts['privacy.readme.data_json'].format(version=VERSION)}")
        for name, data in dataset.tables.items():
            described = texts.get(f"privacy.table.{name}", data.description)
            parts.append(f"  {name}.csv — {described} ({len(data.rows)})")
        parts.append(texts["privacy.readme.csv_note"])
        parts.append("")
    return "\n".join(parts)


def build_zip(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(dataset))
        archive.writestr("data.json", json.dumps(to_json(dataset), ensure_ascii=False, indent=2))
        for name, data in dataset.tables.items():
            archive.writestr(f"{name}.csv", "\ufeff" + to_csv(data))  # BOM: Excel reads UTF-8
    return buffer.getvalue()


def filename(dataset: Dataset) -> str:
    stamp = dataset.generated_at.strftime("%Y%m%d")
    if dataset.scope == "school":
        return f"ogp-school-{dataset.subject['slug']}-{stamp}.zip"
    return f"ogp-my-data-{stamp}.zip"
