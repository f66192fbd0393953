"""/staff/policies: publish a new version of the privacy statement (staff with a second factor only)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, section, text_input
from ogp_app.components.staff import staff_frame
from ogp_app.components.text import t
from ogp_app.pages.public.privacy.state import HISTORY_PATH, StatementView, view_of
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


def _publish_form() -> rx.Component:
    def area(name: str, rows: str) -> rx.Component:
        control = rx.text_area(id=name, name=name, size="3", width="100%", rows=rows, required=True)
        return field(f"staff.policies.{name}", name, control)

    return rx.el.form(
        rx.vstack(
            rx.text(t("staff.policies.help"), size="2"),
            field("staff.policies.version", "version", text_input("version", required=True, max_length=20)),
            area("body_nl", "10"),
            area("body_en", "10"),
            area("summary_nl", "3"),
            area("summary_en", "3"),
            rx.el.label(
                rx.flex(
                    rx.el.input(type="checkbox", name="material_change", id="material_change"),
                    rx.text(t("staff.policies.material")),
                    gap="0.5rem",
                    align="center",
                ),
                html_for="material_change",
            ),
            rx.button(t("staff.policies.publish"), type="submit", high_contrast=True, size="3"),
            spacing="3",
            width="100%",
        ),
        on_submit=StaffPoliciesState.publish,
        key=StaffPoliciesState.form_key,
        width="100%",
    )


def _row(v: Any) -> rx.Component:
    view = v
    return rx.table.row(
        rx.table.cell(rx.link(view.version, href=HISTORY_PATH + "?version=" + view.version)),
        rx.table.cell(rx.cond(view.published != "", view.published, t("consent.in_force_since_start"))),
        rx.table.cell(rx.cond(view.material, t("consent.material_yes"), t("consent.material_no"))),
    )


def staff_policies_page() -> rx.Component:
    return staff_frame(
        "staff.policies.title",
        notice_view(StaffPoliciesState.policies_notice),
        section("staff.policies.new", _publish_form(), id="policies-new"),
        section(
            "staff.policies.versions",
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(t("consent.version")),
                        rx.table.column_header_cell(t("consent.published_on")),
                        rx.table.column_header_cell(t("consent.material")),
                    )
                ),
                rx.table.body(rx.foreach(StaffPoliciesState.versions, _row)),
                width="100%",
            ),
            id="policies-versions",
        ),
    )
