"""The legal disclosure register (privacy statement 3.4): OGP staff record what the law forced us to hand
over; the people concerned are told by e-mail and see it in their privacy centre."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.models import LegalDisclosure, LegalDisclosureSubject, User
from ogp_app.models.base import utcnow
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.mail import outbox

AUTHORITY_MAX = 200
SCOPE_MAX = 2000


@dataclass(frozen=True)
class DisclosureRow:
    disclosed_on: str  # dd-mm-yyyy
    authority: str
    scope: str


def record_disclosure(
    db: Session,
    *,
    staff_user_id: int,
    authority: str,
    disclosed_on: date,
    scope: str,
    subject_emails: list[str],
) -> int:
    """Record a disclosure and queue a mail to every person concerned; all or nothing. Commits."""
    staff = db.get(User, staff_user_id)
    if staff is None or not staff.is_staff:
        raise PermissionDenied("staff only")
    authority, scope = " ".join(authority.split()), scope.strip()
    if not authority or len(authority) > AUTHORITY_MAX:
        raise InvalidInput(f"authority: give the authority's name (at most {AUTHORITY_MAX} characters)")
    if not scope or len(scope) > SCOPE_MAX:
        raise InvalidInput(f"scope: say what was handed over (at most {SCOPE_MAX} characters)")
    if disclosed_on > utcnow().date():
        raise InvalidInput("date: a disclosure cannot lie in the future")
    emails = sorted({e.strip().lower() for e in subject_emails if e.strip()})
    if not emails:
        raise InvalidInput("subjects: name at least one person concerned")
    users = db.exec(select(User).where(col(User.email).in_(emails))).all()
    if unknown := sorted(set(emails) - {u.email for u in users}):
        raise InvalidInput(f"subjects: no account for {', '.join(unknown)}")
    with committing(db):
        disclosure = LegalDisclosure(
            authority=authority, disclosed_on=disclosed_on, scope=scope, recorded_by_user_id=staff_user_id
        )
        db.add(disclosure)
        db.flush()
        assert disclosure.id is not None
        now = utcnow()
        context = {"authority": authority, "disclosed_on": f"{disclosed_on:%d-%m-%Y}", "scope": scope}
        for user in users:
            db.add(LegalDisclosureSubject(disclosure_id=disclosure.id, user_id=user.id, notified_at=now))
            outbox.enqueue_for(db, user, template="legal_disclosure", context=context)
    return disclosure.id


def disclosures_about(db: Session, *, user_id: int) -> list[DisclosureRow]:
    rows = db.exec(
        select(LegalDisclosure)
        .join(LegalDisclosureSubject, col(LegalDisclosureSubject.disclosure_id) == col(LegalDisclosure.id))
        .where(LegalDisclosureSubject.user_id == user_id)
        .order_by(col(LegalDisclosure.disclosed_on).desc())
    ).all()
    return [DisclosureRow(f"{d.disclosed_on:%d-%m-%Y}", d.authority, d.scope) for d in rows]
