"""The view of /contact (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import submit
from ogp_app.components.layout import page_frame, page_title
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, input_field, section, select_box, text_input
from ogp_app.components.text import t
from ogp_app.models import ContactTopic
from ogp_app.models.backoffice import MESSAGE_MAX
from ogp_app.pages.public.contact.state import HONEYPOT, ContactState
from ogp_app.state.base import AppState


def _honeypot() -> rx.Component:
    """Off-screen and out of the tab order; people and screen readers never meet it."""
    return rx.box(
        rx.el.label(t("contact.form.honeypot"), html_for=HONEYPOT),
        rx.el.input(id=HONEYPOT, name=HONEYPOT, type="text", tab_index=-1, auto_complete="off"),
        aria_hidden="true",
        style={
            "position": "absolute",
            "left": "-10000px",
            "width": "1px",
            "height": "1px",
            "overflow": "hidden",
        },
    )


def contact_form() -> rx.Component:
    return section(
        "contact.form.title",
        rx.text(t("contact.form.privacy"), size="2"),
        form_stack(
            field(
                "contact.form.name",
                "name",
                text_input(
                    "name",
                    required=True,
                    max_length=200,
                    auto_complete="name",
                    default_value=AppState.display_name,
                ),
            ),
            input_field(
                "contact.form.email",
                "email",
                type="email",
                required=True,
                max_length=254,
                auto_complete="email",
            ),
            field(
                "contact.form.topic",
                "topic",
                select_box(
                    "topic",
                    *[
                        rx.el.option(t(f"contact.topic.{topic.value}"), value=topic.value)
                        for topic in ContactTopic
                    ],
                    default_value=ContactTopic.QUESTION.value,
                ),
            ),
            field(
                "contact.form.message",
                "message",
                rx.text_area(
                    id="message",
                    name="message",
                    required=True,
                    max_length=MESSAGE_MAX,
                    rows="6",
                    size="3",
                    width="100%",
                ),
            ),
            _honeypot(),
            submit("contact.form.submit"),
            on_submit=ContactState.submit,
            stack={"position": "relative"},
            key=ContactState.form_key,
        ),
        notice_view(ContactState.contact_notice),
        id="contact-form",
    )


CONTACT_EMAIL = "privacy@oudergesprekplanner.nl"


def contact_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            page_title("contact.title"),
            rx.text(t("contact.body")),
            rx.hstack(
                rx.text(t("contact.email_label"), weight="bold"),
                rx.link(CONTACT_EMAIL, href=f"mailto:{CONTACT_EMAIL}"),
                spacing="2",
                wrap="wrap",
            ),
            rx.text(t("contact.privacy_requests")),
            contact_form(),
            spacing="3",
            max_width="720px",
        )
    )
