"""Scan every table of the schema for traces of a person or a school (the erasure tests' proof)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlmodel import SQLModel

from ogp_app.core import db as ogp_db


def _points_at_a_person(column: Any) -> bool:
    return column.name.endswith("user_id") or any(
        fk.target_fullname == "user.id" for fk in column.foreign_keys
    )


def traces_of_person(*, user_id: int, email: str) -> list[str]:
    """``table.column`` for every row that still holds the account id or (anywhere in text) the e-mail."""
    email = email.lower()
    found: list[str] = []
    with ogp_db.get_engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if table.name == "user" and column.name == "id":
                    hit = conn.execute(select(column).where(column == user_id)).first()
                    if hit:
                        found.append("user.id")
                elif _points_at_a_person(column):
                    if conn.execute(select(column).where(column == user_id)).first():
                        found.append(f"{table.name}.{column.name}")
                elif isinstance(column.type, String | Text | JSON) or hasattr(column.type, "length"):
                    for (value,) in conn.execute(select(column)):
                        text = value if isinstance(value, str) else json.dumps(value) if value else ""
                        if email in str(text).lower():
                            found.append(f"{table.name}.{column.name}")
                            break
    return found


def rows_of_school(school_id: int) -> list[str]:
    """``table`` for every table that still holds a row of the school."""
    found: list[str] = []
    with ogp_db.get_engine().connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            column = table.c.id if table.name == "school" else table.c.get("school_id")
            if column is not None and conn.execute(select(column).where(column == school_id)).first():
                found.append(table.name)
    return found
