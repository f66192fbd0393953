"""The contact form of /contact (public, and the same page for signed-in people).

Spam protection without third parties: a honeypot field hidden from people (bots fill it in; then
nothing is stored or sent and the same thanks is shown) and rate limits per address and network.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, section, text_input
from ogp_app.components.text import t
from ogp_app.models import ContactTopic
from ogp_app.models.backoffice import MESSAGE_MAX
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.handler_calls import PublicCall
from ogp_app.services.staff import contact
from ogp_app.state.base import AppState
from ogp_app.state.form_input import form_text

HONEYPOT = "website"
_SELECT_STYLE = {
    "width": "100%",
    "min_height": "40px",
    "padding_x": "0.6rem",
    "font_size": "1rem",
    "color": "var(--gray-12)",
    "background_color": "var(--color-surface)",
    "border": "1px solid var(--gray-a8)",
    "border_radius": "var(--radius-2)",
}


class ContactState(AppState):
    contact_notice: Notice = NO_NOTICE
    form_key: str = "0"

    @rx.event
    async def submit(self, form_data: dict[str, Any]) -> None:
        """Send the message; the sender's account is linked when signed in (identity from the cookie)."""
        values = {
            name: form_text(form_data, name, MESSAGE_MAX * 2)
            for name in ("name", "email", "topic", "message")
        }
        honeypot = form_text(form_data, HONEYPOT, 1000)
        if any(v is None for v in values.values()) or honeypot is None:
            return  # not what the form sends
        token, language, ip = self._token(), self.lang, self.router.session.client_ip or None

        def send(call: PublicCall) -> None:
            identity = resolve_session(token)
            user_id = identity.user_id if identity else None
            contact.submit_message(
                call.db, **values, honeypot=honeypot, language=language, ip=ip, user_id=user_id
            )

        with self._handled(notice="contact_notice"):
            await self._call_public(send)
            self.contact_notice = notice("contact.form.sent")
            self.form_key = str(int(self.form_key) + 1)


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
        rx.el.form(
            rx.vstack(
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
                field(
                    "contact.form.email",
                    "email",
                    text_input("email", type="email", required=True, max_length=254, auto_complete="email"),
                ),
                field(
                    "contact.form.topic",
                    "topic",
                    rx.el.select(
                        *[
                            rx.el.option(t(f"contact.topic.{topic.value}"), value=topic.value)
                            for topic in ContactTopic
                        ],
                        id="topic",
                        name="topic",
                        default_value=ContactTopic.QUESTION.value,
                        **_SELECT_STYLE,
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
                rx.button(t("contact.form.submit"), type="submit", high_contrast=True, size="3"),
                spacing="3",
                width="100%",
                position="relative",
            ),
            on_submit=ContactState.submit,
            key=ContactState.form_key,
            width="100%",
        ),
        notice_view(ContactState.contact_notice),
        id="contact-form",
    )
