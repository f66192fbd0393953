"""The processor agreement as PDF: filled with the school's details, its version, and the acceptance."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session

from ogp_app.core.settings import get_settings
from ogp_app.models import School, User
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.formats.pdf_layout import FAMILY, heading, table, unicode_document
from ogp_app.services.onboarding.agreement_text import agreement_parts
from ogp_app.services.onboarding.policies import AGREEMENT_VERSION, agreement_acceptance

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _acceptance_line(db: Session, school_id: int) -> tuple[str, str]:
    """("Aanvaard op ... door ...", the signer's name) or a line saying it is not accepted yet."""
    accepted = agreement_acceptance(db, school_id=school_id)
    if accepted is None or accepted.version != AGREEMENT_VERSION:
        return f"Versie {AGREEMENT_VERSION}: nog niet aanvaard door de school.", "de schoolbeheerder"
    user = db.get(User, accepted.user_id) if accepted.user_id else None
    name = user.display_name if user else "de schoolbeheerder"
    moment = accepted.accepted_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y om %H:%M")
    return f"Versie {AGREEMENT_VERSION}, digitaal aanvaard op {moment} door {name}.", name


def render_agreement_pdf(db: Session, *, school_id: int, admin_user_id: int) -> bytes:
    """The school's agreement. ``db``: ``school_session(school_id)``; only the school's admin may ask."""
    school: School = require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    status, signer = _acceptance_line(db, school_id)
    settings = get_settings()
    title = f"Verwerkersovereenkomst {school.name}"
    pdf = unicode_document(title=title, author=settings.billing_supplier_name)
    pdf.add_page()
    for part in agreement_parts(school, settings, signer=signer):
        if part.level == 1 and pdf.get_y() > 40:
            pdf.add_page()
        heading(pdf, part.heading, size=16 if part.level == 1 else 12)
        if part.level == 1 and part.heading == "Verwerkersovereenkomst":
            pdf.set_font(FAMILY, "B", 10)
            pdf.multi_cell(0, 5, status, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_font(FAMILY, "", 10)
        for paragraph in part.paragraphs:
            pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        if part.table_rows:
            table(pdf, part.table_headers, part.table_rows, widths=(22, 45, 33), font_size=9)
            pdf.ln(2)
    return bytes(pdf.output())
