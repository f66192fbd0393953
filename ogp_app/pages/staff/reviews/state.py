"""/staff/reviews: moderate reviews; only those whose author consented can be published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice
from ogp_app.pages.staff.row_ids import row_id
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.rounds import reviews
from ogp_app.state.base import AppState
from ogp_app.state.staff import display_time

EVERY_SCHOOL = Access(staff=True, unscoped="reviews of every school")


@dataclass(frozen=True)
class ReviewLine:
    id: str
    first_name: str
    city: str
    school_name: str
    role: str
    rating: int
    comment: str
    may_publish: bool
    school_may_be_named: bool
    status: str
    at: str


class StaffReviewsState(AppState):
    items: list[ReviewLine] = []
    review_notice: Notice = NO_NOTICE

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self.items = await self._call(EVERY_SCHOOL, _items)
            self.review_notice = NO_NOTICE

    @rx.event
    async def decide(self, review_id: str, decision: str) -> None:
        """Publish or reject one review."""
        with self._handled(notice="review_notice"):
            self.items = await self._call(EVERY_SCHOOL, lambda call: _decide(call, review_id, decision))
            self.review_notice = NO_NOTICE


def _items(call: Call) -> list[ReviewLine]:
    return [
        ReviewLine(
            id=str(r.id),
            first_name=r.first_name,
            city=r.city,
            school_name=r.school_name,
            role=r.role,
            rating=r.rating,
            comment=r.comment,
            may_publish=r.may_publish,
            school_may_be_named=r.school_may_be_named,
            status=r.status,
            at=display_time(r.created_at),
        )
        for r in reviews.moderation_queue(call.db)
    ]


def _decide(call: Call, review_id: Any, decision: Any) -> list[ReviewLine]:
    """The review decided; then the queue as it is now."""
    staff_user_id = call.identity.user_id
    reviews.moderate(
        call.db,
        review_id=row_id(review_id, reviews.UnknownReview),
        decision=decision,
        staff_user_id=staff_user_id,
    )
    return _items(call)
