"""The OGP staff access lines a school admin reads at /school/access-log and a person reads about
themself at /privacy/me: one row shape and one list, so both pages show an entry alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.blocks import bare_list
from ogp_app.components.staff import SEP
from ogp_app.components.text import by_lang, t
from ogp_app.services.privacy.view import when
from ogp_app.services.staff import backoffice


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
                by_lang(line.what_en, line.what_nl),
                size="2",
            ),
            rx.text(
                rx.el.span(t("access_log.col.why"), ": "), line.reason, size="2", word_break="break-word"
            ),
            padding_y="0.5rem",
            border_bottom="1px solid var(--gray-a4)",
            class_name="access-entry",
        )

    return bare_list(rows, entry)
