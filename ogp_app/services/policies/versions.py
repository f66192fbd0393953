"""Which version of a policy document is in force, and recording a person's acceptance of the statement."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ogp_app.models import PolicyAcceptance, PolicyDocument, PolicyVersion
from ogp_app.models.base import utcnow

# The statement shipped with the app (catalog keys privacy.*, "Version 1.0" on /privacy); in force until
# the privacy centre publishes a version in policy_version. Reading never writes (a page load is no edit).
BUILT_IN_VERSION = "1.0"
# The version of the verwerkersovereenkomst text in onboarding/agreement_text.py: raise it with every change.
AGREEMENT_VERSION = "2026.1"


def version_in_force(db: Session, document: PolicyDocument = PolicyDocument.PRIVACY_STATEMENT) -> str:
    """The newest version published by now; the built-in version while none is published here."""
    newest = db.exec(
        select(PolicyVersion.version)
        .where(PolicyVersion.document == document.value, PolicyVersion.published_at <= utcnow())
        .order_by(col(PolicyVersion.published_at).desc(), col(PolicyVersion.id).desc())
    ).first()
    return newest if newest is not None else BUILT_IN_VERSION


def record_acceptance(db: Session, *, user_id: int) -> str:
    """Record that the person accepts the privacy statement in force now; the caller commits.

    Returns the version.
    """
    document = PolicyDocument.PRIVACY_STATEMENT
    version = version_in_force(db, document)
    db.add(PolicyAcceptance(user_id=user_id, school_id=None, document=document.value, version=version))
    db.flush()
    return version
