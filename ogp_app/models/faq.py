"""Frequently asked questions for schools and parents, in Dutch and English, edited by OGP staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field


class FaqEntry(SQLModel, table=True):
    __tablename__ = "faq_entry"
    __table_args__ = (CheckConstraint("audience IN ('school', 'parent')", name="audience"),)

    id: int | None = Field(default=None, primary_key=True)
    audience: str = Field(max_length=10)
    question_nl: str = Field(max_length=300)
    answer_nl: str = Field(sa_type=Text)
    question_en: str = Field(max_length=300)
    answer_en: str = Field(sa_type=Text)
    position: int = Field(default=0)  # order within the audience, low first
    updated_at: datetime = timestamp_field()
