"""/school/access-log: the school admin reads which OGP staff opened the school's data, when, why, what.

The school comes from the server-side session and the log is read through that school's scope;
everyone else (teachers, parents, admins of other schools) sees "no access" and receives no rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.settings_forms import section
from ogp_app.components.staff import SEP
from ogp_app.components.text import t
from ogp_app.models import Role
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.privacy.view import when
from ogp_app.services.staff import backoffice
from ogp_app.state.base import AppState

ADMIN = Access((Role.SCHOOL_ADMIN,))


@dataclass(frozen=True)
class AccessLine:
    at: str
    staff: str
    reason: str
    what_nl: str
    what_en: str
    school: str = ""


def access_lines(entries: list[backoffice.AccessEntry]) -> list[AccessLine]:
    return [
        AccessLine(
            at=when(e.at),
            staff=e.staff_name,
            reason=e.reason,
            what_nl=backoffice.what_label(e, "nl"),
            what_en=backoffice.what_label(e, "en"),
            school=e.school_name,
        )
        for e in entries
    ]


class SchoolAccessLogState(AppState):
    access: str = ""  # "" before loading, "granted" or "denied"
    entries: list[AccessLine] = []

    def _deny(self) -> None:  # not signed in, not this school's admin, second factor missing
        self.access, self.entries = "denied", []

    @rx.event
    async def load_log(self) -> None:
        """on_load: the log of the session's school for its admin; nothing for anyone else."""
        with self._handled(deny=self._deny):
            rows = await self._call(ADMIN, _access_log)
            self.access, self.entries = "granted", access_lines(rows)


def _access_log(call: Call) -> list[backoffice.AccessEntry]:
    return backoffice.access_log(call.db, school_id=call.school_id, limit=500)


LABEL = {"fontWeight": "500"}


def access_table(rows: Any, with_school: bool = False) -> rx.Component:
    """Newest first, one entry per item: when and who, what, and why (wraps on a phone, no sideways
    scrolling)."""

    def entry(line: Any) -> rx.Component:
        head: list[Any] = [line.at, SEP, line.staff]
        if with_school:
            head += [SEP, line.school]
        return rx.el.li(
            rx.text(*head, weight="bold", size="2"),
            rx.text(
                rx.el.span(t("access_log.col.what"), ": ", style=LABEL),
                rx.cond(AppState.lang == "en", line.what_en, line.what_nl),
                size="2",
            ),
            rx.text(
                rx.el.span(t("access_log.col.why"), ": "), line.reason, size="2", word_break="break-word"
            ),
            padding_y="0.5rem",
            border_bottom="1px solid var(--gray-a4)",
            class_name="access-entry",
        )

    return rx.el.ul(
        rx.foreach(rows, entry),
        style={"listStyle": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def school_access_log_page() -> rx.Component:
    s = SchoolAccessLogState
    granted = rx.vstack(
        rx.heading(t("access_log.title"), as_="h1", size="7"),
        rx.text(AppState.school_name, size="4", color_scheme="gray"),
        section(
            "access_log.title",
            rx.text(t("access_log.intro"), size="2"),
            rx.cond(
                s.entries.length() > 0,  # type: ignore[attr-defined]
                access_table(s.entries),
                rx.text(t("access_log.none"), color_scheme="gray"),
            ),
            id="school-access-log",
        ),
        spacing="4",
        width="100%",
    )
    denied = rx.vstack(
        rx.heading(t("access_log.title"), as_="h1", size="7"),
        rx.callout(
            rx.vstack(
                rx.text(t("school.no_access.title"), weight="bold"),
                rx.text(t("school.no_access.body")),
                spacing="1",
            ),
            icon="lock",
            color_scheme="red",
            high_contrast=True,
            role="alert",
            id="no-access",
        ),
        spacing="4",
        width="100%",
    )
    return page_frame(rx.match(s.access, ("granted", granted), ("denied", denied), rx.fragment()))
