"""/review: after a round, a parent or a school's staff member rates it and may consent to publication.

The round and the school come from the server session; the page only sends a rating, a comment and
two ticks. A school admin may also let the school be named (the school's own choice).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.models import Role
from ogp_app.models.reviews import COMMENT_MAX
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.rounds import reviews
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text

MEMBER = Access((Role.PARENT, Role.TEACHER, Role.SCHOOL_ADMIN))


class ReviewFormState(AppState):
    stage: str = ""  # "" (not loaded / signed out), "form", "none" (nothing to review), "thanks"
    round_name: str = ""
    can_name_school: bool = False
    review_notice: Notice = NO_NOTICE

    @rx.event
    async def load(self) -> None:
        with self._handled():
            chance = await self._call(MEMBER, _chance)
            self.review_notice = NO_NOTICE
            self.stage = "form" if chance else "none"
            self.round_name = chance.round_name if chance else ""
            self.can_name_school = chance.can_name_school if chance else False

    @rx.event
    async def submit(self, form_data: dict[str, Any]) -> None:
        with self._handled(notice="review_notice"):
            await self._call(MEMBER, lambda call: _submit(call, form_data))
            self.stage, self.review_notice = "thanks", notice("review.thanks")


def _chance(call: Call) -> reviews.ReviewChance | None:
    return reviews.review_chance(call.db, user_id=call.identity.user_id, school_id=call.school_id)


def _submit(call: Call, form_data: Any) -> None:
    """The form (read only after the member check) as the caller's review of the school's round."""
    rating = required_text(form_data, "rating", 2)
    comment = required_text(form_data, "comment", COMMENT_MAX * 2)
    may_publish = checkbox(form_data, "may_publish")
    named = checkbox(form_data, "school_may_be_named")
    reviews.submit_review(
        call.db,
        user_id=call.identity.user_id,
        school_id=call.school_id,
        rating=rating,
        comment=comment,
        may_publish=may_publish,
        school_may_be_named=named,
    )
