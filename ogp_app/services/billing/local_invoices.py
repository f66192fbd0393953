"""Invoices we issue ourselves (local mode): one numbering without gaps per year, customer data copied."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ogp_app.core.settings import get_settings
from ogp_app.models import Invoice, InvoiceSequence, InvoiceStatus, School
from ogp_app.services.billing.pricing import vat_of
from ogp_app.services.billing.supplier import require_payable_supplier

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAYMENT_DAYS = 30


def next_invoice_number(db: Session, *, issued_at: datetime) -> str:
    """``2026-00001``, ``2026-00002``, ...: the UPDATE locks the year's row until our transaction ends,
    so concurrent invoices queue up; the unique index on the number is the last line of defence."""
    year = issued_at.astimezone(AMSTERDAM).year
    if db.get(InvoiceSequence, year) is None:
        try:
            with db.begin_nested():
                db.add(InvoiceSequence(year=year, last_number=0))
        except IntegrityError:
            pass  # another transaction started the year first
    db.execute(
        update(InvoiceSequence)
        .where(InvoiceSequence.year == year)  # type: ignore[arg-type]
        .values(last_number=InvoiceSequence.last_number + 1)
    )
    number = db.exec(select(InvoiceSequence.last_number).where(InvoiceSequence.year == year)).one()
    return f"{year}-{number:05d}"


def customer_address(school: School) -> str:
    lines = [school.street_address or "", " ".join(p for p in (school.postal_code, school.city) if p)]
    return "\n".join(line for line in lines if line)


def issue_local_invoice(
    db: Session,
    *,
    school: School,
    period_start: datetime,
    period_end: datetime,
    pupil_count: int,
    amount_excl_cents: int,
    now: datetime,
) -> Invoice:
    """Add the invoice for one subscription year (caller commits, together with the subscription).
    Refused in production while the supplier's details are placeholders (nobody could pay it)."""
    assert school.id is not None
    require_payable_supplier()
    vat_percent = get_settings().billing_vat_percent
    vat = vat_of(amount_excl_cents, vat_percent)
    invoice = Invoice(
        school_id=school.id,
        number=next_invoice_number(db, issued_at=now),
        status=InvoiceStatus.OPEN.value,
        issued_at=now,
        period_start=period_start,
        period_end=period_end,
        due_at=now + timedelta(days=PAYMENT_DAYS),
        pupil_count=pupil_count,
        amount_excl_cents=amount_excl_cents,
        vat_percent=vat_percent,
        vat_cents=vat,
        amount_incl_cents=amount_excl_cents + vat,
        customer_name=school.name,
        customer_address=customer_address(school),
        customer_vat_number=school.vat_number,
        customer_kvk_number=school.kvk_number,
    )
    db.add(invoice)
    db.flush()
    return invoice


def invoices_of(db: Session, *, school_id: int) -> list[Invoice]:
    query = select(Invoice).where(Invoice.school_id == school_id).order_by(Invoice.issued_at.desc())  # type: ignore[attr-defined]
    return list(db.exec(query).all())
