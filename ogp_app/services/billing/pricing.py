"""The price of a school's yearly plan: per pupil with a minimum, shown excl. and incl. BTW."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ogp_app.core.settings import Settings, get_settings
from ogp_app.models import Pupil


@dataclass(frozen=True)
class Price:
    pupil_count: int
    per_pupil_cents: int
    minimum_cents: int
    minimum_applies: bool
    excl_cents: int
    vat_percent: int
    vat_cents: int
    incl_cents: int


def vat_of(excl_cents: int, vat_percent: int) -> int:
    """BTW on an amount, rounded half up to the cent."""
    return (excl_cents * vat_percent + 50) // 100


def yearly_price(pupil_count: int, settings: Settings | None = None) -> Price:
    settings = settings or get_settings()
    per_pupil = settings.billing_price_per_pupil_cents
    by_pupils = max(pupil_count, 0) * per_pupil
    excl = max(by_pupils, settings.billing_minimum_cents)
    vat = vat_of(excl, settings.billing_vat_percent)
    return Price(
        pupil_count=pupil_count,
        per_pupil_cents=per_pupil,
        minimum_cents=settings.billing_minimum_cents,
        minimum_applies=by_pupils < settings.billing_minimum_cents,
        excl_cents=excl,
        vat_percent=settings.billing_vat_percent,
        vat_cents=vat,
        incl_cents=excl + vat,
    )


def count_pupils(db: Session, *, school_id: int) -> int:
    """Pupils on the roster now (archived ones do not count). ``db``: the school's session."""
    query = (
        select(func.count())
        .select_from(Pupil)
        .where(Pupil.school_id == school_id, col(Pupil.archived_at).is_(None))
    )
    return int(db.exec(query).one())


def euros(cents: int) -> str:
    """``123456`` -> ``€ 1.234,56`` (Dutch notation)."""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{'-' if cents < 0 else ''}€ {grouped},{rest:02d}"
