"""/staff/policies: publish a new version of the privacy statement (staff with a second factor only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.pages.public.privacy.state import StatementView, view_of
from ogp_app.services.handler_calls import Call
from ogp_app.services.privacy import statement
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text
from ogp_app.state.staff import STAFF


class StaffPoliciesState(AppState):
    versions: list[StatementView] = []
    policies_notice: Notice = NO_NOTICE
    form_key: str = "0"

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self.versions = await self._call(STAFF, _versions)
            self.policies_notice = NO_NOTICE

    @rx.event
    async def publish(self, form_data: dict[str, Any]) -> None:
        with self._handled(notice="policies_notice"):
            self.versions = await self._call(STAFF, lambda call: _publish(call, form_data))
            self.policies_notice = notice("staff.policies.published")
            self.form_key = str(int(self.form_key) + 1)


def _versions(call: Call) -> list[StatementView]:
    return [view_of(v) for v in statement.history(call.db)]


def _publish(call: Call, form_data: Any) -> list[StatementView]:
    """Publish the form's version (read only after the staff check); then every version."""
    texts = {
        "version": required_text(form_data, "version", 20),
        "body_nl": required_text(form_data, "body_nl", statement.BODY_MAX * 2),
        "body_en": required_text(form_data, "body_en", statement.BODY_MAX * 2),
        "summary_nl": required_text(form_data, "summary_nl", statement.SUMMARY_MAX * 2),
        "summary_en": required_text(form_data, "summary_en", statement.SUMMARY_MAX * 2),
    }
    material = checkbox(form_data, "material_change")
    statement.publish(call.db, staff_user_id=call.identity.user_id, material_change=material, **texts)
    return _versions(call)
