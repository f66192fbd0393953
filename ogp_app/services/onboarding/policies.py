"""The processor agreement (verwerkersovereenkomst), accepted for the school with version and time.

The agreement's text is built into the app (``agreement_text``) with its own version; each new version
asks the school to accept again. The privacy statement (for every person) has versions of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ogp_app.models import PolicyAcceptance, PolicyDocument
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.policies.versions import AGREEMENT_VERSION


@dataclass(frozen=True)
class Acceptance:
    version: str
    accepted_at: datetime
    user_id: int | None


def agreement_acceptance(db: Session, *, school_id: int) -> Acceptance | None:
    """The school's latest acceptance of the processor agreement, if any."""
    row = db.exec(
        select(PolicyAcceptance)
        .where(
            PolicyAcceptance.school_id == school_id,
            PolicyAcceptance.document == PolicyDocument.PROCESSOR_AGREEMENT.value,
        )
        .order_by(col(PolicyAcceptance.accepted_at).desc(), col(PolicyAcceptance.id).desc())
    ).first()
    return Acceptance(row.version, row.accepted_at, row.user_id) if row else None


def agreement_current(db: Session, *, school_id: int) -> bool:
    """Accepted, and for this version of the agreement (a new version asks for a new acceptance)."""
    accepted = agreement_acceptance(db, school_id=school_id)
    return accepted is not None and accepted.version == AGREEMENT_VERSION


def accept_processor_agreement(db: Session, *, school_id: int, admin_user_id: int) -> Acceptance:
    """Record the admin's acceptance for the school. ``db``: ``school_session(school_id)``."""
    require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    version = AGREEMENT_VERSION
    row = PolicyAcceptance(
        user_id=admin_user_id,
        school_id=school_id,
        document=PolicyDocument.PROCESSOR_AGREEMENT.value,
        version=version,
    )
    db.add(row)
    db.commit()
    return Acceptance(row.version, row.accepted_at, row.user_id)
