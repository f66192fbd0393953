"""Reviews after a round: who may write one, moderation by staff, and what the public page shows.

Only people of a school that has had a round (one that is no longer a draft) may review it, once per
round. Publication needs both the author's consent and a staff decision; the public sees the author's
first name and the school's city only, and the school's name only when a school admin, writing for the
school, chose to name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.models import ConferenceRound, Membership, Review, ReviewStatus, Role, School, User
from ogp_app.models.base import utcnow
from ogp_app.models.reviews import COMMENT_MAX
from ogp_app.services.errors import DomainError, InvalidInput, PermissionDenied

_ROLE_ORDER = (Role.SCHOOL_ADMIN.value, Role.TEACHER.value, Role.PARENT.value)
_ROUND_DONE = ("open", "closed", "archived")  # a draft round has had no conversations yet


class InvalidRating(DomainError):
    message_key = "reviews.error.rating"


class InvalidComment(DomainError):
    message_key = "reviews.error.comment"


class NoRoundToReview(DomainError):
    message_key = "reviews.error.no_round"


class AlreadyReviewed(DomainError):
    message_key = "reviews.error.already"


class NoPublishConsent(DomainError):
    message_key = "staff.reviews.error.no_consent"


class UnknownReview(DomainError):
    message_key = "staff.reviews.error.unknown"


@dataclass(frozen=True)
class ReviewChance:
    round_id: int
    round_name: str
    role: str
    can_name_school: bool


def _roles(db: Session, *, user_id: int, school_id: int) -> set[str]:
    return set(
        db.exec(
            select(Membership.role).where(Membership.user_id == user_id, Membership.school_id == school_id)
        ).all()
    )


def review_chance(db: Session, *, user_id: int, school_id: int) -> ReviewChance | None:
    """The latest round this person may still review at this school, or None. ``db``: school_session."""
    roles = _roles(db, user_id=user_id, school_id=school_id)
    role = next((r for r in _ROLE_ORDER if r in roles), None)
    if role is None:
        return None
    reviewed = select(Review.round_id).where(
        Review.author_user_id == user_id, col(Review.round_id).is_not(None)
    )
    found = db.exec(
        select(ConferenceRound)
        .where(col(ConferenceRound.status).in_(_ROUND_DONE), col(ConferenceRound.id).not_in(reviewed))
        .order_by(col(ConferenceRound.created_at).desc(), col(ConferenceRound.id).desc())
    ).first()
    if found is None or found.id is None:
        return None
    return ReviewChance(
        round_id=found.id, round_name=found.name, role=role, can_name_school=role == Role.SCHOOL_ADMIN.value
    )


def _rating(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise InvalidRating()
    return value


def _comment(value: object) -> str:
    text = value.replace("\r\n", "\n").strip() if isinstance(value, str) else None
    if text is None or len(text) > COMMENT_MAX or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise InvalidComment()
    return text


def first_name(display_name: str) -> str:
    """The first word of a name: what the public page may show of the author."""
    parts = display_name.split()
    return parts[0][:80] if parts else "?"


def submit_review(
    db: Session,
    *,
    user_id: int,
    school_id: int,
    rating: object,
    comment: object,
    may_publish: bool,
    school_may_be_named: bool,
) -> int:
    """Store a pending review of the latest round this person may review. ``db``: school_session."""
    stars = _rating(rating)
    text = _comment(comment)
    chance = review_chance(db, user_id=user_id, school_id=school_id)
    if chance is None:
        raise NoRoundToReview()
    user = db.get(User, user_id)
    school = db.get(School, school_id)
    if user is None or school is None:
        raise InvalidInput("no such user or school")
    review = Review(
        school_id=school_id,
        round_id=chance.round_id,
        author_user_id=user_id,
        role=chance.role,
        rating=stars,
        comment=text,
        may_publish=bool(may_publish),
        school_may_be_named=bool(school_may_be_named) and chance.can_name_school,
        display_first_name=first_name(user.display_name),
        display_city=school.city,
    )
    with committing(db):
        db.add(review)
        db.flush()
    assert review.id is not None
    return review.id


@dataclass(frozen=True)
class PublicReview:
    first_name: str
    city: str
    rating: int
    comment: str
    school_name: str  # "" unless the school chose to be named
    day: datetime


def published_reviews(db: Session, *, limit: int = 100) -> list[PublicReview]:
    """What the public page shows. ``db``: unscoped (reviews of every school)."""
    rows = db.exec(
        select(Review, School.name)
        .join(School, col(School.id) == col(Review.school_id))
        .where(Review.status == ReviewStatus.PUBLISHED.value, col(Review.may_publish))
        .order_by(col(Review.moderated_at).desc(), col(Review.id).desc())
        .limit(limit)
    ).all()
    return [
        PublicReview(
            first_name=r.display_first_name,
            city=r.display_city or "",
            rating=r.rating,
            comment=r.comment,
            school_name=name if r.school_may_be_named else "",
            day=r.moderated_at or r.created_at,
        )
        for r, name in rows
    ]


@dataclass(frozen=True)
class ModerationItem:
    id: int
    first_name: str
    city: str
    school_name: str
    role: str
    rating: int
    comment: str
    may_publish: bool
    school_may_be_named: bool
    status: str
    created_at: datetime


def moderation_queue(db: Session, *, limit: int = 200) -> list[ModerationItem]:
    """Pending reviews first, then the latest decided ones. ``db``: unscoped; staff only (caller)."""
    pending_first = col(Review.status) != ReviewStatus.PENDING.value
    rows = db.exec(
        select(Review, School.name)
        .join(School, col(School.id) == col(Review.school_id))
        .order_by(pending_first, col(Review.created_at).desc(), col(Review.id).desc())
        .limit(limit)
    ).all()
    return [
        ModerationItem(
            id=r.id or 0,
            first_name=r.display_first_name,
            city=r.display_city or "",
            school_name=name,
            role=r.role,
            rating=r.rating,
            comment=r.comment,
            may_publish=r.may_publish,
            school_may_be_named=r.school_may_be_named,
            status=r.status,
            created_at=r.created_at,
        )
        for r, name in rows
    ]


def moderate(db: Session, *, review_id: object, decision: object, staff_user_id: int) -> None:
    """Publish or reject a review (or take it back to pending). ``db``: unscoped. Commits."""
    if decision not in {s.value for s in ReviewStatus}:
        raise InvalidInput("unknown decision")
    if not isinstance(review_id, int) or isinstance(review_id, bool):
        raise UnknownReview()
    review = db.get(Review, review_id)
    if review is None:
        raise UnknownReview()
    if decision == ReviewStatus.PUBLISHED.value and not review.may_publish:
        raise NoPublishConsent()
    with committing(db):
        review.status = str(decision)
        review.moderated_at = utcnow()
        review.moderated_by_user_id = staff_user_id
        db.add(review)


def require_member(db: Session, *, user_id: int, school_id: int) -> None:
    if not _roles(db, user_id=user_id, school_id=school_id):
        raise PermissionDenied("not a member of this school")
