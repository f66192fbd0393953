"""Download links of a round's whole schedule (CSV, PDF per teacher, PDF per room) for the admin's pages.

Anchors with ``download`` and ``reloadDocument``: Reflex renders every ``<a>`` as React Router's Link, and
``reloadDocument`` makes that Link leave the click to the browser, which fetches the authenticated route
with the session cookie and saves the file. The routes check the admin and the school themselves.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_components_core.react_router import ReactRouterLink

from ogp_app.components.text import t

LINK_STYLE: dict[str, Any] = {
    "display": "inline-flex",
    "align_items": "center",
    "min_height": "40px",
    "padding_x": "0.8rem",
    "border": "1px solid var(--gray-a8)",
    "border_radius": "var(--radius-2)",
    "color": "var(--gray-12)",
    "text_decoration": "none",
    "font_weight": "500",
}


def round_export_base(round_id: int) -> str:
    return f"/api/rounds/{round_id}"


def download_link(label_key: str, href: Any, **props: Any) -> rx.Component:
    return ReactRouterLink.create(
        t(label_key), to=href, reload_document=True, download="", **LINK_STYLE, **props
    )


def round_downloads(base: Any) -> rx.Component:
    return rx.flex(
        rx.text(t("export.downloads"), size="2", weight="medium"),
        download_link("export.download_csv", base + "/schedule.csv", class_name="download-csv"),
        download_link(
            "export.download_by_teacher", base + "/by-teacher.pdf", class_name="download-by-teacher"
        ),
        download_link("export.download_by_room", base + "/by-room.pdf", class_name="download-by-room"),
        wrap="wrap",
        gap="0.6rem",
        align="center",
    )
