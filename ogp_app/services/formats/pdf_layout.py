"""Shared PDF building blocks (fpdf2) for invoices and conversation schedules.

Schedules carry pupils' and parents' names, which are not all latin-1 (Łukasz, Şeyma, Nguyễn): they use the
bundled DejaVu Sans (``ogp_app/data/fonts``, Bitstream Vera licence), embedded as a subset. The invoice
keeps the core Helvetica font and passes its texts through :func:`latin1`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FONT_DIR = Path(__file__).resolve().parents[2] / "data" / "fonts"
FAMILY = "DejaVu"


def latin1(text: str) -> str:
    """Text the core PDF fonts can draw (characters outside latin-1 become ``?``)."""
    return text.encode("latin-1", "replace").decode("latin-1")


def local_date(value: datetime | None) -> str:
    """``25-11-2026`` in Amsterdam time, or ``-``."""
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y") if value else "-"


def unicode_document(*, title: str, author: str, landscape: bool = False) -> FPDF:
    """An A4 document with DejaVu Sans (regular and bold) registered as :data:`FAMILY`."""
    pdf = FPDF(orientation="L" if landscape else "P", format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_auto_page_break(auto=True, margin=15)
    return pdf


def heading(pdf: FPDF, text: str, *, size: int = 16, sub: str = "") -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    if sub:
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(0, 5, sub, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def table(
    pdf: FPDF,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float],
    font_size: int = 10,
    empty: str = "",
) -> None:
    """A ruled table whose header repeats on every page; long cells wrap."""
    if not rows:
        pdf.set_font(FAMILY, "", font_size)
        pdf.multi_cell(0, 6, empty, new_x="LMARGIN", new_y="NEXT")
        return
    total = pdf.epw
    scale = total / sum(widths)
    col_widths = tuple(w * scale for w in widths)
    pdf.set_font(FAMILY, "", font_size)
    with pdf.table(
        col_widths=col_widths,
        text_align="LEFT",
        line_height=font_size * 0.55,
        repeat_headings=1,
        first_row_as_headings=True,
    ) as grid:
        head = grid.row()
        for title in headers:
            head.cell(title)
        for values in rows:
            line = grid.row()
            for value in values:
                line.cell(value)
