"""The view of /review (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.layout import page_column, page_frame
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import form_stack, section
from ogp_app.components.text import t
from ogp_app.models.reviews import COMMENT_MAX
from ogp_app.pages.family.review.state import ReviewFormState
from ogp_app.state.base import AppState

STAR = "★"


def _rating() -> rx.Component:
    def star(value: int) -> rx.Component:
        return rx.el.label(
            rx.el.input(type="radio", name="rating", value=str(value), required=True, id=f"rating-{value}"),
            rx.el.span(str(value)),
            rx.el.span(STAR, aria_hidden="true", color="var(--amber-11)"),
            display="inline-flex",
            align_items="center",
            gap="0.3rem",
            padding="0.4rem 0.7rem",
            border="1px solid var(--gray-a7)",
            border_radius="var(--radius-2)",
            cursor="pointer",
        )

    return rx.el.fieldset(
        rx.el.legend(t("review.rating"), font_weight="500", margin_bottom="0.4rem"),
        rx.flex(*[star(v) for v in range(1, 6)], gap="0.5rem", wrap="wrap"),
        border="none",
        padding="0",
        margin="0",
    )


def _tick(name: str, label_key: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(name=name, id=name, high_contrast=True),
            rx.text(t(label_key)),
            spacing="2",
            align="start",
        ),
        html_for=name,
    )


def _form() -> rx.Component:
    s = ReviewFormState
    return section(
        "review.form_title",
        rx.text(s.round_name, weight="bold", id="round-name"),
        form_stack(
            _rating(),
            rx.vstack(
                rx.el.label(t("review.comment"), html_for="comment", font_weight="500"),
                rx.text_area(
                    id="comment", name="comment", max_length=COMMENT_MAX, rows="4", size="3", width="100%"
                ),
                spacing="1",
                width="100%",
            ),
            _tick("may_publish", "review.may_publish"),
            rx.cond(s.can_name_school, _tick("school_may_be_named", "review.school_may_be_named")),
            submit("review.submit"),
            on_submit=ReviewFormState.submit,
            spacing="4",
        ),
        id="review-form",
    )


def review_page() -> rx.Component:
    s = ReviewFormState
    return page_frame(
        page_column(
            "review.title",
            notice_view(s.review_notice),
            rx.match(
                s.stage,
                ("form", _form()),
                ("none", rx.text(t("review.none"))),
                ("thanks", rx.link(t("reviews.title"), href="/reviews")),
                rx.cond(
                    AppState.signed_in,
                    rx.fragment(),
                    rx.vstack(
                        rx.text(t("review.sign_in")),
                        rx.link(rx.button(t("nav.login"), high_contrast=True), href="/login"),
                    ),
                ),
            ),
            max_width="720px",
        )
    )
