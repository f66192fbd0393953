"""The view of /staff/faq (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import form_stack, section, select_box
from ogp_app.components.staff import staff_frame
from ogp_app.components.text import t
from ogp_app.pages.staff.faq.state import StaffFaqState


def _labelled(label_key: str, control_id: Any, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(t(label_key), html_for=control_id, font_weight="500"), control, spacing="1", width="100%"
    )


def _entry_form(prefix: Any, entry: Any | None) -> rx.Component:
    """One form: an existing entry (``entry`` a var) or a new one (None)."""

    def value(name: str, default: str = "") -> Any:
        return getattr(entry, name) if entry is not None else default

    def cid(name: str) -> Any:
        return prefix + "-" + name

    buttons: list[rx.Component] = [rx.button(t("staff.faq.save"), type="submit", high_contrast=True)]
    if entry is not None:
        buttons.append(
            confirm_dialog(
                rx.button(t("staff.faq.delete"), type="button", variant="outline", color_scheme="red"),
                title_key="confirm.faq_delete.title",
                body=rx.fragment(
                    rx.text(value("question_nl"), weight="bold"),
                    rx.text(t("confirm.faq_delete.body")),
                ),
                confirm_key="confirm.faq_delete.action",
                on_confirm=StaffFaqState.delete(entry.id),  # type: ignore[operator]
            )
        )
    return form_stack(
        rx.el.input(type="hidden", name="entry_id", value=value("id")),
        rx.grid(
            _labelled(
                "staff.faq.audience",
                cid("audience"),
                select_box(
                    "audience",
                    rx.el.option(t("faq.audience.parent"), value="parent"),
                    rx.el.option(t("faq.audience.school"), value="school"),
                    id=cid("audience"),
                    default_value=value("audience", "parent"),
                ),
            ),
            _labelled(
                "staff.faq.position",
                cid("position"),
                rx.input(
                    id=cid("position"),
                    name="position",
                    type="number",
                    default_value=value("position", "0"),
                    size="3",
                    width="100%",
                ),
            ),
            columns="2",
            gap="0.75rem",
            width="100%",
        ),
        *[
            _labelled(
                f"staff.faq.{name}",
                cid(name),
                rx.text_area(
                    id=cid(name),
                    name=name,
                    default_value=value(name),
                    required=True,
                    rows="2" if name.startswith("question") else "4",
                    size="3",
                    width="100%",
                ),
            )
            for name in ("question_nl", "answer_nl", "question_en", "answer_en")
        ],
        rx.flex(*buttons, gap="0.5rem"),
        on_submit=StaffFaqState.save,
        key=StaffFaqState.form_key,
    )


def staff_faq_page() -> rx.Component:
    return staff_frame(
        "staff.faq.title",
        notice_view(StaffFaqState.faq_notice),
        section("staff.faq.new", _entry_form("new", None), id="faq-new"),
        rx.vstack(
            rx.foreach(
                StaffFaqState.entries,
                lambda e: rx.card(_entry_form("faq-" + e.id, e), width="100%", class_name="faq-entry"),
            ),
            spacing="3",
            width="100%",
            key=StaffFaqState.form_key,
        ),
    )
