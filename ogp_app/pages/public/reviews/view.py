"""The view of /reviews and /faq (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import or_empty
from ogp_app.components.layout import page_column, page_frame
from ogp_app.components.text import by_lang, t
from ogp_app.pages.public.reviews.state import FaqPageState, PublicReviewsState, ShownQuestion, ShownReview


def _stars(rating: Any) -> rx.Component:
    return rx.hstack(
        rx.el.span(
            rx.match(rating, (1, "★☆☆☆☆"), (2, "★★☆☆☆"), (3, "★★★☆☆"), (4, "★★★★☆"), "★★★★★"),
            aria_hidden="true",
            color="var(--amber-11)",
            font_size="1.25rem",
        ),
        rx.el.span(
            rating,
            " ",
            t("reviews.out_of_five"),
            class_name="visually-hidden",
            style={
                "position": "absolute",
                "width": "1px",
                "height": "1px",
                "overflow": "hidden",
                "clip": "rect(0 0 0 0)",
            },
        ),
        position="relative",
    )


def _review(row: rx.Var[ShownReview]) -> rx.Component:
    r: Any = row
    return rx.card(
        rx.vstack(
            _stars(r.rating),
            rx.cond(
                r.comment != "", rx.el.blockquote(rx.text(r.comment, white_space="pre-wrap"), margin="0")
            ),
            rx.text(
                r.first_name,
                rx.cond(r.city != "", rx.fragment(" ", t("reviews.from"), " ", r.city)),
                rx.cond(r.school_name != "", rx.fragment(" · ", r.school_name)),
                weight="bold",
                class_name="review-author",
            ),
            spacing="2",
        ),
        width="100%",
        class_name="public-review",
    )


def reviews_page() -> rx.Component:
    return page_frame(
        page_column(
            "reviews.title",
            rx.text(t("reviews.intro")),
            or_empty(
                PublicReviewsState.published,
                rx.grid(
                    rx.foreach(PublicReviewsState.published, _review),
                    columns={"initial": "1", "md": "2"},
                    gap="1rem",
                    width="100%",
                ),
                "reviews.empty",
            ),
        )
    )


def _question(row: rx.Var[ShownQuestion]) -> rx.Component:
    q: Any = row
    return rx.el.details(
        rx.el.summary(by_lang(q.question_en, q.question_nl), font_weight="600", cursor="pointer"),
        rx.text(by_lang(q.answer_en, q.answer_nl), white_space="pre-wrap", margin_top="0.5rem"),
        padding_y="0.75rem",
        border_bottom="1px solid var(--gray-a5)",
        class_name="faq-item",
    )


def _audience(audience: str) -> rx.Component:
    return rx.cond(FaqPageState.audiences.contains(audience), _audience_section(audience))  # type: ignore[attr-defined]


def _audience_section(audience: str) -> rx.Component:
    return rx.el.section(
        rx.heading(t(f"faq.audience.{audience}"), as_="h2", size="5"),
        rx.foreach(
            FaqPageState.questions,
            lambda q: rx.cond(q.audience == audience, _question(q)),
        ),
        width="100%",
        id=f"faq-{audience}",
    )


def faq_page() -> rx.Component:
    return page_frame(
        page_column(
            "faq.title",
            or_empty(
                FaqPageState.questions,
                rx.vstack(_audience("parent"), _audience("school"), spacing="5", width="100%"),
                "faq.empty",
            ),
            max_width="760px",
        )
    )
