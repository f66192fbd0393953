"""The privacy statement, versioned: publish a version, record acceptances, and the re-consent rule.

Version 1.0 is the statement shipped with the app (catalog keys privacy.*, see
pages/public/privacy/); it needs no row (its label and the version in force: ``policies.versions``).
Staff publish later versions here with their Dutch and English text. A version published as a
*material change* asks every person to accept it again before they continue (``consent_due``); other
versions are only announced. Every publication e-mails every account, in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.core.settings import get_settings
from ogp_app.models import PolicyAcceptance, PolicyDocument, PolicyVersion, User
from ogp_app.models.base import utcnow
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.mail import outbox
from ogp_app.services.policies.versions import BUILT_IN_VERSION, record_acceptance, version_in_force

DOCUMENT = PolicyDocument.PRIVACY_STATEMENT
TEXT_REF_DB = "db"
TEXT_REF_BUILT_IN = "catalog:privacy"
BODY_MAX = 50_000
SUMMARY_MAX = 1_000
VERSION_PATTERN = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){0,3}")
HISTORY_PATH = "/privacy/history"


class ConsentRequired(PermissionDenied):
    """A newer statement with a material change waits for the person's acceptance."""

    message_key = "consent.error.required"


@dataclass(frozen=True)
class StatementVersion:
    """One version for display; ``built_in``: the catalog's text (pages/public/privacy/), no row's."""

    version: str
    published_at: datetime | None  # None: the built-in version, in force since the app began
    material_change: bool
    body_nl: str
    body_en: str
    summary_nl: str
    summary_en: str

    @property
    def built_in(self) -> bool:
        return self.published_at is None


_BUILT_IN = StatementVersion(BUILT_IN_VERSION, None, False, "", "", "", "")


def version_key(version: str) -> tuple[int, ...]:
    """ "1.10" sorts after "1.9"; raises InvalidInput for anything but dotted numbers."""
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        raise InvalidInput(
            "version: use numbers separated by dots, e.g. 1.1 or 2.0",
            message_key="consent.error.version_format",
        )
    return tuple(int(part) for part in version.split("."))


def _row(row: PolicyVersion) -> StatementVersion:
    return StatementVersion(
        row.version,
        row.published_at,
        row.material_change,
        row.body_nl,
        row.body_en,
        row.summary_nl,
        row.summary_en,
    )


def history(db: Session) -> list[StatementVersion]:
    """Every version published by now, newest first, ending with the built-in one."""
    rows = db.exec(
        select(PolicyVersion)
        .where(PolicyVersion.document == DOCUMENT.value, PolicyVersion.published_at <= utcnow())
        .order_by(col(PolicyVersion.published_at).desc(), col(PolicyVersion.id).desc())
    ).all()
    versions = [_row(r) for r in rows if r.text_ref == TEXT_REF_DB]
    if all(v.version != BUILT_IN_VERSION for v in versions):
        versions.append(_BUILT_IN)
    return versions


def in_force(db: Session) -> StatementVersion:
    """The version in force (the newest published by now), with its text."""
    current = version_in_force(db, DOCUMENT)
    return find(db, current) or _BUILT_IN


def find(db: Session, version: str) -> StatementVersion | None:
    """One version by its label, or None (unknown, or not yet published)."""
    if version == BUILT_IN_VERSION:
        row = _published_row(db, version)
        return _row(row) if row is not None and row.text_ref == TEXT_REF_DB else _BUILT_IN
    row = _published_row(db, version)
    return _row(row) if row is not None else None


def _published_row(db: Session, version: str) -> PolicyVersion | None:
    return db.exec(
        select(PolicyVersion).where(
            PolicyVersion.document == DOCUMENT.value,
            PolicyVersion.version == version,
            PolicyVersion.published_at <= utcnow(),
        )
    ).first()


def _clean_text(value: object, *, field: str, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(f"{field}: may not be empty", message_key=f"consent.error.{field}_empty")
    if len(text) > limit:
        raise InvalidInput(f"{field}: at most {limit} characters", message_key=f"consent.error.{field}_long")
    return text.replace("\r\n", "\n")


def publish(
    db: Session,
    *,
    staff_user_id: int,
    version: str,
    body_nl: str,
    body_en: str,
    summary_nl: str,
    summary_en: str,
    material_change: bool,
) -> StatementVersion:
    """Publish a new version now and queue one e-mail per account; all or nothing. Commits.

    ``db``: an ``unscoped()``/plain session (the statement and accounts belong to no school).
    """
    staff = db.get(User, staff_user_id)
    if staff is None or not staff.is_staff:
        raise PermissionDenied("staff only")
    version = version.strip() if isinstance(version, str) else ""
    new_key = version_key(version)
    current = version_in_force(db, DOCUMENT)
    labels = set(db.exec(select(PolicyVersion.version).where(PolicyVersion.document == DOCUMENT.value)).all())
    labels.add(current)
    if version in labels:
        raise InvalidInput(f"version: {version} exists already", message_key="consent.error.version_exists")
    newest = max((version_key(v) for v in labels if VERSION_PATTERN.fullmatch(v)), default=(0,))
    if new_key <= newest:
        raise InvalidInput(
            f"version: must be higher than {'.'.join(map(str, newest))}",
            message_key="consent.error.version_lower",
        )
    texts = {
        "body_nl": _clean_text(body_nl, field="body_nl", limit=BODY_MAX),
        "body_en": _clean_text(body_en, field="body_en", limit=BODY_MAX),
        "summary_nl": _clean_text(summary_nl, field="summary_nl", limit=SUMMARY_MAX),
        "summary_en": _clean_text(summary_en, field="summary_en", limit=SUMMARY_MAX),
    }
    material = material_change is True
    link = get_settings().public_base_url.rstrip("/") + HISTORY_PATH
    with committing(db):
        row = PolicyVersion(
            document=DOCUMENT.value,
            version=version,
            published_at=utcnow(),
            material_change=material,
            text_ref=TEXT_REF_DB,
            body_nl=texts["body_nl"],
            body_en=texts["body_en"],
            summary_nl=texts["summary_nl"],
            summary_en=texts["summary_en"],
        )
        db.add(row)
        db.flush()
        users = db.exec(select(User).order_by(col(User.id))).all()  # every account, one mail each
        for user in users:
            english = user.preferred_language == "en"
            outbox.enqueue_for(
                db,
                user,
                template="privacy_statement_published",
                context={
                    "version": version,
                    "summary": texts["summary_en"] if english else texts["summary_nl"],
                    "material_change": material,
                    "history_link": link,
                },
            )
    return _row(row)


def accept(db: Session, *, user_id: int) -> str:
    """The person accepts the statement in force (the accept page). Commits."""
    if db.get(User, user_id) is None:
        raise PermissionDenied("no such account")
    version = record_acceptance(db, user_id=user_id)
    db.commit()
    return version


def _latest_material(db: Session) -> str | None:
    """The newest material change published by now, or None."""
    labels = db.exec(
        select(PolicyVersion.version).where(
            PolicyVersion.document == DOCUMENT.value,
            col(PolicyVersion.material_change).is_(True),
            PolicyVersion.published_at <= utcnow(),
        )
    ).all()
    keys = [(version_key(v), v) for v in labels if VERSION_PATTERN.fullmatch(v)]
    return max(keys)[1] if keys else None


def consent_due(db: Session, *, user_id: int) -> bool:
    """True while a material change newer than the person's latest acceptance is in force."""
    material = _latest_material(db)
    if material is None:
        return False
    accepted = db.exec(
        select(PolicyAcceptance.version).where(
            PolicyAcceptance.user_id == user_id,
            PolicyAcceptance.document == DOCUMENT.value,
            col(PolicyAcceptance.school_id).is_(None),
        )
    ).all()
    needed = version_key(material)
    return not any(VERSION_PATTERN.fullmatch(v) and version_key(v) >= needed for v in accepted)
