"""Column types shared by all model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from ogp_app.core.utc import aware_in_utc

# Stable constraint names, identical on SQLite and PostgreSQL, so migrations can name what they alter.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out, on SQLite (which drops zones) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """PostgreSQL's driver returns aware datetimes, already in UTC on the app's connections (which
        set TimeZone=UTC): one identity check per value instead of a conversion (a grid reads hundreds)."""
        if dialect.name == "sqlite" or self.impl_instance.result_processor(dialect, coltype) is not None:
            return super().result_processor(dialect, coltype)
        return aware_in_utc


def timestamp_field(*, nullable: bool = False, **kwargs: Any) -> Any:
    """A UTC timestamp column, defaulting to now unless nullable."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, **kwargs)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, **kwargs)
