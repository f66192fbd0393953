"""The PDF of a local invoice, with the fields a Dutch invoice must carry (Belastingdienst):
sequential number, invoice date, supply period, supplier and customer names and addresses, the
supplier's KvK and BTW numbers (and the customer's VAT id when given), amount excl. BTW, rate and amount
of BTW, and the total; and what a bookkeeper needs to pay it: the IBAN, in whose name, and the invoice
number as payment reference. With placeholder supplier details (development) it says VOORBEELD."""

from __future__ import annotations

from fpdf import FPDF

from ogp_app.core.settings import get_settings
from ogp_app.i18n import translate
from ogp_app.models import Invoice
from ogp_app.services.billing.supplier import is_example
from ogp_app.services.formats.pdf_layout import latin1 as _latin1
from ogp_app.services.formats.pdf_layout import local_date as _date


def _money(cents: int) -> str:
    """Core PDF fonts have no euro sign in latin-1: ``EUR 1.234,56``."""
    whole, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}EUR {whole:,}".replace(",", ".") + f",{rest:02d}"


def render_invoice_pdf(invoice: Invoice, *, language: str = "nl") -> bytes:
    settings = get_settings()

    def tr(key: str, **values: object) -> str:
        return _latin1(translate(f"billing.pdf.{key}", language, **values))

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"{translate('billing.pdf.title', language)} {invoice.number}"))
    pdf.set_author(_latin1(settings.billing_supplier_name))
    pdf.add_page()
    example = is_example(settings)
    if example:
        _example_mark(pdf, tr("example"), tr("example_note"))
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, tr("title"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    supplier = [
        settings.billing_supplier_name,
        settings.billing_supplier_address,
        f"{settings.billing_supplier_postal_code} {settings.billing_supplier_city}",
        f"{tr('kvk')}: {settings.billing_supplier_kvk}",
        f"{tr('vat_number')}: {settings.billing_supplier_vat}",
        settings.billing_supplier_email,
    ]
    customer = [invoice.customer_name, *invoice.customer_address.splitlines()]
    if invoice.customer_kvk_number:
        customer.append(f"{tr('kvk')}: {invoice.customer_kvk_number}")
    if invoice.customer_vat_number:
        customer.append(f"{tr('vat_number')}: {invoice.customer_vat_number}")
    top = pdf.get_y() + 4
    for x, heading, lines in ((10, tr("supplier"), supplier), (110, tr("customer"), customer)):
        pdf.set_xy(x, top)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(90, 6, heading, new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for line in lines:
            pdf.cell(90, 5, _latin1(line), new_x="LEFT", new_y="NEXT")
    pdf.set_xy(10, top + 50)
    facts = [
        (tr("number"), invoice.number),
        (tr("date"), _date(invoice.issued_at)),
        (tr("period"), f"{_date(invoice.period_start)} - {_date(invoice.period_end)}"),
        (tr("due"), _date(invoice.due_at)),
    ]
    _label_rows(pdf, facts)
    pdf.ln(6)
    rows = [
        (tr("line", pupils=invoice.pupil_count), _money(invoice.amount_excl_cents), ""),
        (tr("excl"), _money(invoice.amount_excl_cents), ""),
        (tr("vat", percent=invoice.vat_percent), _money(invoice.vat_cents), ""),
        (tr("incl"), _money(invoice.amount_incl_cents), "B"),
    ]
    for label, amount, style in rows:
        pdf.set_font("Helvetica", style, 10)
        pdf.cell(140, 7, label, border="B")
        pdf.cell(0, 7, amount, border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, tr("payment_title"), new_x="LMARGIN", new_y="NEXT")
    payment = [
        (tr("amount"), _money(invoice.amount_incl_cents)),
        (tr("iban"), settings.billing_supplier_iban or "-"),
        (tr("in_name_of"), settings.billing_supplier_name),
        (tr("reference"), invoice.number),
        (tr("due"), _date(invoice.due_at)),
    ]
    _label_rows(pdf, payment)
    pdf.ln(3)
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(0, 5, tr("payment", number=invoice.number, due=_date(invoice.due_at)))
    return bytes(pdf.output())


def _label_rows(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(50, 6, label)
        pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 6, _latin1(value), new_x="LMARGIN", new_y="NEXT")


def _example_mark(pdf: FPDF, word: str, note: str) -> None:
    """A large red word across the page and a line under it: nobody mistakes it for a real invoice."""
    pdf.set_text_color(200, 30, 30)
    with pdf.rotation(35, x=pdf.w / 2, y=pdf.h / 2):
        pdf.set_font("Helvetica", "B", 90)
        pdf.text(pdf.w / 2 - pdf.get_string_width(word) / 2, pdf.h / 2, word)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, _latin1(f"{word}: {note}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
