"""/staff/reviews: moderate reviews; only those whose author consented can be published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice_view
from ogp_app.components.staff import SEP, badge, staff_frame
from ogp_app.components.text import t
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


OUT_OF_FIVE = " / 5"


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
    if not isinstance(review_id, str) or not review_id.isdigit() or len(review_id) > 12:
        raise reviews.UnknownReview()
    staff_user_id = call.identity.user_id
    reviews.moderate(call.db, review_id=int(review_id), decision=decision, staff_user_id=staff_user_id)
    return _items(call)


def stars(rating: Any) -> rx.Component:
    """★★★★☆ with the number spelled out for screen readers."""
    return rx.text(
        rx.el.span(
            rx.match(rating, (1, "★☆☆☆☆"), (2, "★★☆☆☆"), (3, "★★★☆☆"), (4, "★★★★☆"), "★★★★★"),
            aria_hidden="true",
            color="var(--amber-11)",
            font_size="1.2rem",
        ),
        rx.el.span(rating, OUT_OF_FIVE, class_name="rt-r-size-2", margin_left="0.5rem"),
        as_="p",
    )


def _status(status: Any) -> rx.Component:
    return badge(
        rx.match(
            status,
            ("pending", t("staff.reviews.status.pending")),
            ("published", t("staff.reviews.status.published")),
            t("staff.reviews.status.rejected"),
        ),
        rx.match(status, ("pending", "amber"), ("published", "green"), "gray"),
    )


def _item(row: rx.Var[ReviewLine]) -> rx.Component:
    r: Any = row
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(r.first_name, SEP, r.city, weight="bold"),
                    rx.text(r.school_name, SEP, r.at, size="2"),
                    spacing="1",
                ),
                _status(r.status),
                justify="between",
                gap="0.75rem",
                wrap="wrap",
                width="100%",
            ),
            stars(r.rating),
            rx.text(r.comment, white_space="pre-wrap"),
            rx.flex(
                rx.cond(
                    r.may_publish,
                    badge(t("staff.reviews.consent_yes"), "green"),
                    badge(t("staff.reviews.consent_no"), "red"),
                ),
                rx.cond(r.school_may_be_named, badge(t("staff.reviews.named"), "blue")),
                gap="0.5rem",
                wrap="wrap",
            ),
            rx.flex(
                rx.cond(
                    r.may_publish & (r.status != "published"),
                    rx.button(
                        t("staff.reviews.publish"),
                        on_click=StaffReviewsState.decide(r.id, "published"),  # type: ignore[operator]
                        high_contrast=True,
                    ),
                ),
                rx.cond(
                    r.status != "rejected",
                    rx.button(
                        t("staff.reviews.reject"),
                        on_click=StaffReviewsState.decide(r.id, "rejected"),  # type: ignore[operator]
                        variant="outline",
                        high_contrast=True,
                    ),
                ),
                gap="0.5rem",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="review-item",
    )


def staff_reviews_page() -> rx.Component:
    return staff_frame(
        "staff.reviews.title",
        notice_view(StaffReviewsState.review_notice),
        rx.cond(
            StaffReviewsState.items.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(rx.foreach(StaffReviewsState.items, _item), spacing="3", width="100%"),
            rx.text(t("staff.reviews.empty")),
        ),
    )
