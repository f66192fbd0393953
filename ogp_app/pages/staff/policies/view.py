"""The view of /staff/policies (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.blocks import data_table
from ogp_app.components.forms import submit
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, input_field, section
from ogp_app.components.staff import staff_frame
from ogp_app.components.text import t
from ogp_app.pages.public.privacy.versions import VERSION_COLUMNS, version_row
from ogp_app.pages.staff.policies.state import StaffPoliciesState


def _publish_form() -> rx.Component:
    def area(name: str, rows: str) -> rx.Component:
        control = rx.text_area(id=name, name=name, size="3", width="100%", rows=rows, required=True)
        return field(f"staff.policies.{name}", name, control)

    return form_stack(
        rx.text(t("staff.policies.help"), size="2"),
        input_field("staff.policies.version", "version", required=True, max_length=20),
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
        submit("staff.policies.publish"),
        on_submit=StaffPoliciesState.publish,
        key=StaffPoliciesState.form_key,
    )


def staff_policies_page() -> rx.Component:
    return staff_frame(
        "staff.policies.title",
        notice_view(StaffPoliciesState.policies_notice),
        section("staff.policies.new", _publish_form(), id="policies-new"),
        section(
            "staff.policies.versions",
            data_table(
                VERSION_COLUMNS,
                StaffPoliciesState.versions,
                version_row,
                width="100%",
            ),
            id="policies-versions",
        ),
    )
