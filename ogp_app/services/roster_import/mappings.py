"""Column mappings a school saves for its next import (RosterMapping: JSON of header -> field)."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from ogp_app.models import RosterMapping
from ogp_app.models.base import utcnow
from ogp_app.services.roster_import.errors import MappingError
from ogp_app.services.roster_import.fields import FIELDS

DEFAULT_NAME = "standaard"
MAX_HEADER = 200
MAX_COLUMNS = 200


def parse_mapping(raw: object) -> dict[str, str]:
    """A mapping from JSON text or a dict: header (text) -> field name (or "" for "not used")."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise MappingError("json", message_key="roster.error.mapping_unreadable") from error
    if not isinstance(raw, dict) or len(raw) > MAX_COLUMNS:
        raise MappingError("shape", message_key="roster.error.mapping_unreadable")
    mapping: dict[str, str] = {}
    for header, target in raw.items():
        if not isinstance(header, str) or len(header) > MAX_HEADER or not isinstance(target, str | None):
            raise MappingError("entry", message_key="roster.error.mapping_unreadable")
        if target and target not in FIELDS:
            raise MappingError("field", message_key="roster.error.mapping_unknown_field", field=target[:60])
        if target:
            mapping[header] = target
    return mapping


def saved_mapping(db: Session, *, name: str = DEFAULT_NAME) -> dict[str, str] | None:
    """The school's saved mapping (``db`` scoped to the school), or None."""
    row = db.exec(select(RosterMapping).where(RosterMapping.name == name)).first()
    if row is None:
        return None
    try:
        return parse_mapping(row.mapping_json)
    except MappingError:
        return None


def save_mapping(db: Session, *, school_id: int, mapping: dict[str, str], name: str = DEFAULT_NAME) -> None:
    """Store (or replace) the school's mapping; the caller's session is scoped to ``school_id``."""
    clean = parse_mapping(mapping)
    row = db.exec(select(RosterMapping).where(RosterMapping.name == name)).first()
    if row is None:
        row = RosterMapping(school_id=school_id, name=name, mapping_json="{}")
    row.mapping_json = json.dumps(clean, ensure_ascii=False, sort_keys=True)
    row.updated_at = utcnow()
    db.add(row)
    db.commit()


def apply_saved(headers: list[str], saved: dict[str, str], suggested: dict[str, str]) -> dict[str, str]:
    """The saved choice for every header it names; the suggestion for the file's other headers."""
    chosen = {h: saved[h] for h in headers if h in saved}
    for header, target in suggested.items():
        if header not in saved and target not in chosen.values():
            chosen[header] = target
    return chosen
