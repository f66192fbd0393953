"""Download links of a round's whole schedule (CSV, PDF per teacher, PDF per room) for the admin's pages.

Plain anchors with ``download``: the browser fetches the authenticated route with the session cookie;
React Router does not route them. The routes check the admin and the school themselves.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

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
    return rx.el.a(t(label_key), href=href, download="", **LINK_STYLE, **props)


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
