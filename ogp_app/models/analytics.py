"""Visit statistics without personal data (privacy statement 1.2, 2.1, 4.4).

``page_view`` holds counts per path and day, nothing else. Counting unique visitors needs to recognise a
repeat visit within one day: ``visit_mark`` holds a salted hash of (address, browser, path) with that
day's random salt from ``visit_salt``. Both are deleted once the day is over, so the hashes cannot be
recomputed or linked across days; no IP address, user agent, cookie or account id is stored anywhere.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

PATH_MAX = 200


class PageView(SQLModel, table=True):
    __tablename__ = "page_view"
    __table_args__ = (
        UniqueConstraint("path", "day", name="uq_page_view_path_day"),
        CheckConstraint("views >= 0 AND unique_visitors >= 0", name="counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(max_length=PATH_MAX)
    day: date = Field(index=True)
    views: int = Field(default=0)
    unique_visitors: int = Field(default=0)


class VisitSalt(SQLModel, table=True):
    """Today's random salt; deleted when the day is over."""

    __tablename__ = "visit_salt"

    day: date = Field(primary_key=True)
    salt: str = Field(max_length=64)


class VisitMark(SQLModel, table=True):
    """ "Seen today" marks: a salted hash only; deleted when the day is over."""

    __tablename__ = "visit_mark"
    __table_args__ = (UniqueConstraint("day", "path", "digest", name="uq_visit_mark_day_path_digest"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    path: str = Field(max_length=PATH_MAX)
    digest: str = Field(max_length=64)
