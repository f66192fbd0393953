"""The privacy centre names every kind of data in the reader's language, never by its table name."""

from __future__ import annotations

from sqlmodel import SQLModel

import ogp_app.models  # noqa: F401  (registers every table)
from ogp_app.i18n import catalog


def test_every_table_has_a_description_in_dutch_and_english() -> None:
    tables = sorted(SQLModel.metadata.tables)
    assert "booking" in tables and "pupil" in tables
    missing = [
        f"{lang}: privacy.table.{table}"
        for lang in ("nl", "en")
        for table in tables
        if f"privacy.table.{table}" not in catalog(lang)
    ]
    assert missing == []
