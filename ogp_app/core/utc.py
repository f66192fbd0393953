"""Reading a stored time on PostgreSQL: one identity check per value (apart from the models, so the
direct driver path in ``ogp_app.core.db_driver`` can tell these rows need no converting)."""

from __future__ import annotations

from datetime import UTC, datetime


def aware_in_utc(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo is UTC else value.astimezone(UTC)
