"""Fetch one row by an id that came from a browser: only if it belongs to the session's school."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session

from ogp_app.core.db import SCOPE_KEY, SchoolOwned

M = TypeVar("M", bound=SchoolOwned)


def own(db: Session, model: type[M], row_id: object) -> M | None:
    """The row, or None for a bad id or another school's row (``Session.get`` may skip the scope's query)."""
    if not isinstance(row_id, int) or isinstance(row_id, bool) or row_id <= 0:
        return None
    row = db.get(model, row_id)
    if row is None or row.school_id != db.info.get(SCOPE_KEY):
        return None
    return row
