"""Reviews after a conference round: a rating and a comment, published only with consent and moderation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field

COMMENT_MAX = 2000


class ReviewStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class Review(SchoolOwned, table=True):
    """One person's review of one round. The public page shows only the display snapshot."""

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint("status IN ('pending', 'published', 'rejected')", name="status"),
        CheckConstraint("role IN ('parent', 'teacher', 'school_admin')", name="role"),
        # Publishing needs the author's consent, enforced by the database as well as the service.
        CheckConstraint("status != 'published' OR may_publish", name="published_needs_consent"),
        UniqueConstraint("author_user_id", "round_id", name="uq_review_author_round"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int | None = Field(
        default=None, foreign_key="conference_round.id", index=True, ondelete="SET NULL"
    )
    # A review is its author's personal data: it goes with the account.
    author_user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    rating: int
    comment: str = Field(default="", sa_type=Text)
    may_publish: bool = Field(default=False)
    school_may_be_named: bool = Field(default=False)  # only a school admin can say so for the school
    status: str = Field(default=ReviewStatus.PENDING.value, max_length=20, index=True)
    display_first_name: str = Field(max_length=80)  # first word of the author's name, at writing time
    display_city: str | None = Field(default=None, max_length=120)  # the school's city
    created_at: datetime = timestamp_field()
    moderated_at: datetime | None = timestamp_field(nullable=True)
    moderated_by_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
