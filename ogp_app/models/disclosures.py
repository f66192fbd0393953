"""The legal disclosure register: data handed over because the law forced it (privacy statement 3.4)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class LegalDisclosure(SQLModel, table=True):
    """One disclosure, recorded by OGP staff. Not school-owned: it may concern people of several schools."""

    __tablename__ = "legal_disclosure"

    id: int | None = Field(default=None, primary_key=True)
    authority: str = Field(max_length=200)  # e.g. "Politie Midden-Nederland"
    disclosed_on: date
    scope: str = Field(sa_type=Text)  # what was handed over, on which legal ground
    recorded_by_user_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = timestamp_field()


class LegalDisclosureSubject(SQLModel, table=True):
    """A person the disclosure concerned; after they delete their account only a pseudonym remains."""

    __tablename__ = "legal_disclosure_subject"

    id: int | None = Field(default=None, primary_key=True)
    disclosure_id: int = Field(foreign_key="legal_disclosure.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    subject_pseudonym: str | None = Field(default=None, max_length=30)
    notified_at: datetime | None = timestamp_field(nullable=True)
