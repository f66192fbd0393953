"""/reviews (published reviews: first name and town only) and /faq (questions for schools and parents)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from ogp_app.services.handler_calls import PublicCall
from ogp_app.services.rounds import reviews
from ogp_app.services.staff import faq
from ogp_app.state.base import AppState


@dataclass(frozen=True)
class ShownReview:
    first_name: str
    city: str
    school_name: str
    rating: int
    comment: str
    day: str


@dataclass(frozen=True)
class ShownQuestion:
    audience: str
    question_nl: str
    answer_nl: str
    question_en: str
    answer_en: str


class PublicReviewsState(AppState):
    published: list[ShownReview] = []

    @rx.event
    async def load(self) -> None:
        """Published reviews of every school: only the display snapshot, never the author's account."""
        self.published = await self._call_public(_published, unscoped="published reviews of every school")


class FaqPageState(AppState):
    questions: list[ShownQuestion] = []
    audiences: list[str] = []  # the audiences that have questions, so an empty heading is not shown

    @rx.event
    async def load(self) -> None:
        self.questions = await self._call_public(_questions)
        self.audiences = sorted({q.audience for q in self.questions})


def _published(call: PublicCall) -> list[ShownReview]:
    return [
        ShownReview(
            first_name=r.first_name,
            city=r.city,
            school_name=r.school_name,
            rating=r.rating,
            comment=r.comment,
            day=r.day.strftime("%m-%Y"),
        )
        for r in reviews.published_reviews(call.db)
    ]


def _questions(call: PublicCall) -> list[ShownQuestion]:
    return [
        ShownQuestion(
            audience=e.audience,
            question_nl=e.question_nl,
            answer_nl=e.answer_nl,
            question_en=e.question_en,
            answer_en=e.answer_en,
        )
        for e in faq.entries(call.db)
    ]
