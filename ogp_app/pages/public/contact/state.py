"""The contact form of /contact (public, and the same page for signed-in people).

Spam protection without third parties: a honeypot field hidden from people (bots fill it in; then
nothing is stored or sent and the same thanks is shown) and rate limits per address and network.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.models.backoffice import MESSAGE_MAX
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.handler_calls import PublicCall
from ogp_app.services.staff import contact
from ogp_app.state.base import AppState
from ogp_app.state.form_input import form_text

HONEYPOT = "website"


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
