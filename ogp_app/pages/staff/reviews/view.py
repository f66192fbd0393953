"""The view of /staff/reviews (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import card_list, card_stack, or_empty
from ogp_app.components.notice import notice_view
from ogp_app.components.staff import SEP, badge, staff_frame, status_badge
from ogp_app.components.text import t
from ogp_app.pages.staff.reviews.state import ReviewLine, StaffReviewsState

OUT_OF_FIVE = " / 5"


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
    return status_badge(
        status, "staff.reviews.status", {"pending": "amber", "published": "green"}, ("rejected", "gray")
    )


def _item(row: rx.Var[ReviewLine]) -> rx.Component:
    r: Any = row
    return card_stack(
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
        class_name="review-item",
    )


def staff_reviews_page() -> rx.Component:
    return staff_frame(
        "staff.reviews.title",
        notice_view(StaffReviewsState.review_notice),
        or_empty(
            StaffReviewsState.items,
            card_list(StaffReviewsState.items, _item),
            "staff.reviews.empty",
        ),
    )
