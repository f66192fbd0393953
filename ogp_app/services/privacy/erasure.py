"""Erasure: a person deletes their account; a school admin deletes the whole school.

A person: the ``on_user_erased`` hooks run first (bookings cancel and notify), then every table acts as
the registry declares it (delete, anonymise, pseudonymise or keep for the school), children first.
A school: frozen at once, purged ``GRACE`` later unless undone; the purge runs the ``on_school_purged``
hooks (billing: the Stripe customer), erases the accounts that belonged to this school only, then
removes every row that carries the school's id.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ogp_app.core.settings import get_settings
from ogp_app.models import Membership, Role, School, SchoolStatus, User
from ogp_app.models.base import utcnow
from ogp_app.services.auth import audit
from ogp_app.services.errors import DomainError
from ogp_app.services.privacy.registry import Erase, Person, hooks, load, rowcount, tables

GRACE = timedelta(days=30)


class LastAdmin(DomainError):
    message_key = "privacy.error.last_admin"


def pseudonym(user_id: int) -> str:
    """A stable stand-in for an erased account id: an HMAC with the installation's secret key."""
    secret = get_settings().secret_key.get_secret_value().encode()
    return "p-" + hmac.new(secret, f"user:{user_id}".encode(), hashlib.sha256).hexdigest()[:20]


def person_of(user: User) -> Person:
    assert user.id is not None
    return Person(user_id=user.id, email=user.email.lower(), pseudonym=pseudonym(user.id))


@dataclass
class ErasureReport:
    pseudonym: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows deleted or changed


def _sole_admin_schools(db: Session, *, user_id: int) -> list[str]:
    """Live schools where this person is the only admin: they must delete the school or hand it over."""
    mine = db.exec(
        select(Membership.school_id).where(
            Membership.user_id == user_id, Membership.role == Role.SCHOOL_ADMIN
        )
    ).all()
    names = []
    for school_id in mine:
        school = db.get(School, school_id)
        admins = db.exec(
            select(func.count())
            .select_from(Membership)
            .where(Membership.school_id == school_id, Membership.role == Role.SCHOOL_ADMIN)
        ).one()
        if school is not None and school.status != SchoolStatus.FROZEN and admins <= 1:
            names.append(school.name)
    return names


def erase_user(db: Session, *, user_id: int, check_admin: bool = True) -> ErasureReport:
    """Delete an account and everything linked only to it; commits. ``db`` must be unscoped."""
    user = db.get(User, user_id)
    if user is None:
        raise DomainError("no such account", message_key="privacy.error.no_account")
    if check_admin and (schools := _sole_admin_schools(db, user_id=user_id)):
        raise LastAdmin(", ".join(schools))
    person = person_of(user)
    report = ErasureReport(pseudonym=person.pseudonym)
    ordered = tables()  # imports every domain module first, so their hooks are registered
    try:
        for hook in hooks.on_user_erased:
            hook(db, person)
        for table, declaration in reversed(ordered):
            if declaration is None or declaration.subject is None or declaration.erase is Erase.KEEP:
                continue
            if declaration.eraser is not None:
                count = declaration.eraser(db, table, person)
            else:
                assert declaration.user_rows is not None
                count = rowcount(db.execute(delete(table).where(declaration.user_rows(table, person))))
            if count:
                report.rows[table.name] = count
        audit.record(db, event=audit.Event.ACCOUNT_DELETED, detail={"subject_pseudonym": person.pseudonym})
        db.commit()
    except Exception:
        db.rollback()
        raise
    db.expunge_all()
    return report


# --- schools ----------------------------------------------------------------------------------------


def _school(db: Session, school_id: int) -> School:
    school = db.get(School, school_id)
    if school is None:
        raise DomainError("no such school", message_key="privacy.error.no_school")
    return school


def purge_date(school: School) -> datetime | None:
    return school.deletion_requested_at + GRACE if school.deletion_requested_at else None


def request_school_deletion(db: Session, *, school_id: int, actor_user_id: int | None) -> datetime:
    """Freeze the school now; returns when it will be purged. Doing it twice changes nothing."""
    school = _school(db, school_id)
    if school.status != SchoolStatus.FROZEN:
        school.status_before_deletion = school.status
        school.status = SchoolStatus.FROZEN.value
        school.deletion_requested_at = utcnow()
        db.add(school)
        audit.record(
            db, event=audit.Event.SCHOOL_DELETION_REQUESTED, actor_user_id=actor_user_id, school_id=school_id
        )
        db.commit()
    when = purge_date(school)
    assert when is not None
    return when


def undo_school_deletion(db: Session, *, school_id: int, actor_user_id: int | None) -> None:
    """Within the grace period: the school comes back as it was."""
    school = _school(db, school_id)
    if school.status != SchoolStatus.FROZEN:
        raise DomainError("not being deleted", message_key="privacy.error.not_frozen")
    school.status = school.status_before_deletion or SchoolStatus.ACTIVE.value
    school.status_before_deletion = None
    school.deletion_requested_at = None
    db.add(school)
    audit.record(
        db, event=audit.Event.SCHOOL_DELETION_UNDONE, actor_user_id=actor_user_id, school_id=school_id
    )
    db.commit()


def purge_school(db: Session, *, school_id: int) -> dict[str, int]:
    """Remove every row of the tenant now (the CLI's --immediately, and the purge after the grace)."""
    _school(db, school_id)
    load()  # every domain module's hooks registered before they run
    for hook in hooks.on_school_purged:
        hook(db, school_id)
    members = db.exec(select(Membership.user_id).where(Membership.school_id == school_id).distinct()).all()
    for user_id in members:
        elsewhere = db.exec(
            select(Membership.id).where(Membership.user_id == user_id, Membership.school_id != school_id)
        ).first()
        user = db.get(User, user_id)
        if elsewhere is None and user is not None and not user.is_staff:
            erase_user(db, user_id=user_id, check_admin=False)
    counts: dict[str, int] = {}
    try:
        for table, _declaration in reversed(tables()):
            if table.name == "school":
                where = table.c.id == school_id
            elif "school_id" in table.c:
                where = table.c.school_id == school_id
            else:
                continue
            if count := rowcount(db.execute(delete(table).where(where))):
                counts[table.name] = count
        db.commit()
    except Exception:
        db.rollback()
        raise
    db.expunge_all()
    return counts


def purge_due_schools(db: Session, *, now: datetime | None = None) -> list[str]:
    """Purge every school whose grace period has passed; returns their slugs."""
    cutoff = (now or utcnow()) - GRACE
    due = db.exec(
        select(School.id, School.slug).where(
            School.status == SchoolStatus.FROZEN, col(School.deletion_requested_at) <= cutoff
        )
    ).all()
    for school_id, _slug in due:
        assert school_id is not None
        purge_school(db, school_id=school_id)
    return [slug for _id, slug in due]
