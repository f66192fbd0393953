"""The one place where billing decides whether a school may open rounds (hooked in by the billing work)."""

from __future__ import annotations

from sqlmodel import Session


def ensure_school_may_open_rounds(db: Session, *, school_id: int) -> None:
    """Raise a DomainError when the school may not open a round now. No rule yet: billing adds it here."""
    del db, school_id
