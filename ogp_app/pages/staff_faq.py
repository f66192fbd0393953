"""/staff/faq: add, change and remove FAQ entries (Dutch and English both required)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import section
from ogp_app.components.staff import staff_frame
from ogp_app.components.text import t
from ogp_app.services.handler_calls import Call
from ogp_app.services.staff import faq
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text
from ogp_app.state.staff import STAFF

FIELDS = ("audience", "question_nl", "answer_nl", "question_en", "answer_en", "position")


@dataclass(frozen=True)
class FaqLine:
    id: str
    audience: str
    question_nl: str
    answer_nl: str
    question_en: str
    answer_en: str
    position: str


class StaffFaqState(AppState):
    entries: list[FaqLine] = []
    faq_notice: Notice = NO_NOTICE
    form_key: str = "0"

    def _fill(self, entries: list[FaqLine]) -> None:
        self.entries = entries
        self.form_key = str(int(self.form_key) + 1)

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self._fill(await self._call(STAFF, _entries))
            self.faq_notice = NO_NOTICE

    @rx.event
    async def save(self, form_data: dict[str, Any]) -> None:
        """Save the entry of this form: ``entry_id`` "" adds a new one."""
        with self._handled(notice="faq_notice"):
            self._fill(await self._call(STAFF, lambda call: _save(call, form_data)))
            self.faq_notice = notice("staff.faq.saved")

    @rx.event
    async def delete(self, entry_id: str) -> None:
        with self._handled(notice="faq_notice"):
            self._fill(await self._call(STAFF, lambda call: _delete(call, entry_id)))
            self.faq_notice = notice("staff.faq.deleted")


# The handlers' work (in a worker thread, after the staff check): the form is read only then, so a caller
# who is refused gets no notice about it. Each returns the entries as they are now.


def _entries(call: Call) -> list[FaqLine]:
    return [
        FaqLine(
            id=str(e.id),
            audience=e.audience,
            question_nl=e.question_nl,
            answer_nl=e.answer_nl,
            question_en=e.question_en,
            answer_en=e.answer_en,
            position=str(e.position),
        )
        for e in faq.entries(call.db)
    ]


def _save(call: Call, form_data: Any) -> list[FaqLine]:
    raw_id = required_text(form_data, "entry_id", 12)
    if raw_id and not raw_id.isdigit():
        raise faq.UnknownFaq()
    values = {name: required_text(form_data, name, faq.ANSWER_MAX * 2) for name in FIELDS}
    faq.save_entry(call.db, entry_id=int(raw_id) if raw_id else None, **values)
    return _entries(call)


def _delete(call: Call, entry_id: Any) -> list[FaqLine]:
    if not isinstance(entry_id, str) or not entry_id.isdigit() or len(entry_id) > 12:
        raise faq.UnknownFaq()
    faq.delete_entry(call.db, entry_id=int(entry_id))
    return _entries(call)


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
    return rx.el.form(
        rx.vstack(
            rx.el.input(type="hidden", name="entry_id", value=value("id")),
            rx.grid(
                _labelled(
                    "staff.faq.audience",
                    cid("audience"),
                    rx.el.select(
                        rx.el.option(t("faq.audience.parent"), value="parent"),
                        rx.el.option(t("faq.audience.school"), value="school"),
                        id=cid("audience"),
                        name="audience",
                        default_value=value("audience", "parent"),
                        **_SELECT_STYLE,
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
            spacing="3",
            width="100%",
        ),
        on_submit=StaffFaqState.save,
        key=StaffFaqState.form_key,
        width="100%",
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
