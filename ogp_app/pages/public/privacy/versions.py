"""The privacy statement's versions as table rows: the public history and the back office
list them alike (each version links to its text on the history page)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.text import t
from ogp_app.pages.public.privacy.state import HISTORY_PATH

VERSION_COLUMNS = ["consent.version", "consent.published_on", "consent.material"]


def version_row(v: Any) -> rx.Component:
    """One version: its number (a link to its text), when it was published, whether it was material
    (the parameter's name is the loop variable's in the page)."""
    return rx.table.row(
        rx.table.cell(rx.link(v.version, href=HISTORY_PATH + "?version=" + v.version)),
        rx.table.cell(rx.cond(v.published != "", v.published, t("consent.in_force_since_start"))),
        rx.table.cell(rx.cond(v.material, t("consent.material_yes"), t("consent.material_no"))),
    )
