"""Published policy texts (privacy statement, processor agreement) and who accepted which version when.

Kept general on purpose: the privacy centre publishes new versions here and asks people to re-accept
after a material change; onboarding records a school's acceptance of the processor agreement.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ogp_app.models.base import timestamp_field

_DOCUMENTS = "document IN ('privacy_statement', 'processor_agreement')"


class PolicyDocument(StrEnum):
    PRIVACY_STATEMENT = "privacy_statement"
    PROCESSOR_AGREEMENT = "processor_agreement"


class PolicyVersion(SQLModel, table=True):
    """One published version of a document; the newest one published by now is in force."""

    __tablename__ = "policy_version"
    __table_args__ = (
        UniqueConstraint("document", "version", name="uq_policy_version_document_version"),
        CheckConstraint(_DOCUMENTS, name="document"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document: str = Field(max_length=40)
    version: str = Field(max_length=20)
    published_at: datetime = timestamp_field()
    material_change: bool = Field(default=False)
    text_ref: str = Field(max_length=200)  # where the text lives, e.g. a catalog key prefix or a file
    # The text itself, when published through the back office (text_ref "db"); empty for texts kept
    # elsewhere. ``summary_*``: what changed, for the e-mail and the history page.
    body_nl: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    body_en: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    summary_nl: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    summary_en: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})


class PolicyAcceptance(SQLModel, table=True):
    """A person accepted a version of a document, for themselves or (school_id set) for their school.

    Not SchoolOwned: a person's own acceptance of the privacy statement belongs to no school.
    """

    __tablename__ = "policy_acceptance"
    __table_args__ = (
        CheckConstraint(_DOCUMENTS, name="document"),
        Index("ix_policy_acceptance_school_id_document", "school_id", "document"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    school_id: int | None = Field(default=None, foreign_key="school.id", ondelete="CASCADE")
    document: str = Field(max_length=40)
    version: str = Field(max_length=20)
    accepted_at: datetime = timestamp_field()
