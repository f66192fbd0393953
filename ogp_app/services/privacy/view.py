"""The access view (privacy centre): everything held about the signed-in person, as display rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ogp_app.models import (
    AuditEvent,
    Guardian,
    Membership,
    OutboxMessage,
    PolicyAcceptance,
    Pupil,
    PupilGuardian,
    School,
    SchoolClass,
    Teacher,
    TotpCredential,
    User,
)
from ogp_app.services.errors import DomainError
from ogp_app.services.privacy.disclosures import disclosures_about
from ogp_app.services.privacy.erasure import purge_date
from ogp_app.services.privacy.export import collect_user
from ogp_app.services.staff.backoffice import AccessEntry, access_about_person

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECENT = 50


def when(value: datetime | None) -> str:
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if value else ""


@dataclass(frozen=True)
class Row:
    """A generic display row: up to four cells (the page knows which column is which)."""

    a: str
    b: str = ""
    c: str = ""
    d: str = ""


@dataclass(frozen=True)
class AccessView:
    name: str
    email: str
    language: str
    created: str
    has_password: bool
    two_factor: bool
    memberships: list[Row]  # school, role key
    children: list[Row]  # name, class, school (who can change it)
    roster: list[Row]  # school, name as entered, e-mail as entered
    mails: list[Row]  # date, subject, status
    events: list[Row]  # date, event
    kinds: list[Row]  # table, rows
    disclosures: list[Row]  # date, authority, scope
    school_frozen: bool = False
    purge_on: str = ""
    consents: list[Row] = field(default_factory=list)  # accepted at, version, document
    # OGP staff openings that included this person's data (see backoffice.access_about_person).
    staff_access: list[AccessEntry] = field(default_factory=list)


def _name(pupil: Pupil) -> str:
    return " ".join(p for p in (pupil.first_name, pupil.name_prefix, pupil.last_name) if p)


def access_view(db: Session, *, user_id: int, school_id: int | None) -> AccessView:
    """``db`` unscoped: a person's data spans schools; every query filters by the person."""
    user = db.get(User, user_id)
    if user is None:
        raise DomainError("no such account", message_key="privacy.error.no_account")
    schools: dict[int, School] = {}

    def school(sid: int | None) -> School | None:
        """Only the schools this person is linked to are read."""
        if sid is not None and sid not in schools and (found := db.get(School, sid)) is not None:
            schools[sid] = found
        return schools.get(sid) if sid is not None else None

    def school_name(sid: int) -> str:
        found = school(sid)
        return found.name if found else ""

    memberships = [
        Row(school_name(m.school_id), f"app.role.{m.role}")
        for m in db.exec(select(Membership).where(Membership.user_id == user_id).order_by(col(Membership.id)))
    ]
    guardians = db.exec(select(Guardian).where(Guardian.user_id == user_id)).all()
    guardian_ids = [g.id for g in guardians]
    pupils = db.exec(
        select(Pupil, SchoolClass.name)
        .join(SchoolClass, col(SchoolClass.id) == col(Pupil.class_id))
        .where(
            col(Pupil.id).in_(
                select(PupilGuardian.pupil_id).where(col(PupilGuardian.guardian_id).in_(guardian_ids))
            )
        )
        .order_by(col(Pupil.first_name))
    ).all()
    children = [Row(_name(p), class_name, school_name(p.school_id)) for p, class_name in pupils]
    teachers = db.exec(select(Teacher).where(Teacher.user_id == user_id)).all()
    roster = [Row(school_name(g.school_id), g.display_name, g.email) for g in guardians] + [
        Row(school_name(t.school_id), t.display_name, t.email) for t in teachers
    ]
    mails = [
        Row(when(m.sent_at or m.created_at), m.subject, m.status)
        for m in db.exec(
            select(OutboxMessage)
            .where((OutboxMessage.user_id == user_id) | (OutboxMessage.to_email == user.email))
            .order_by(col(OutboxMessage.created_at).desc())
            .limit(RECENT)
        )
    ]
    events = [
        Row(when(e.created_at), e.event)
        for e in db.exec(
            select(AuditEvent)
            .where((AuditEvent.subject_user_id == user_id) | (AuditEvent.actor_user_id == user_id))
            .order_by(col(AuditEvent.created_at).desc())
            .limit(RECENT)
        )
    ]
    dataset = collect_user(db, user_id=user_id)
    kinds = [Row(name, str(len(data.rows))) for name, data in dataset.tables.items()]
    totp = db.exec(select(TotpCredential).where(TotpCredential.user_id == user_id)).first()
    current = school(school_id)
    frozen = current is not None and current.deletion_requested_at is not None
    return AccessView(
        name=user.display_name,
        email=user.email,
        language=user.preferred_language,
        created=when(user.created_at),
        has_password=user.password_hash is not None,
        two_factor=totp is not None and totp.confirmed_at is not None,
        memberships=memberships,
        children=children,
        roster=roster,
        mails=mails,
        events=events,
        kinds=kinds,
        disclosures=[
            Row(d.disclosed_on, d.authority, d.scope) for d in disclosures_about(db, user_id=user_id)
        ],
        school_frozen=frozen,
        purge_on=when(purge_date(current)) if frozen and current else "",
        consents=[
            Row(when(a.accepted_at), a.version, a.document)
            for a in db.exec(
                select(PolicyAcceptance)
                .where(PolicyAcceptance.user_id == user_id)
                .order_by(col(PolicyAcceptance.accepted_at).desc(), col(PolicyAcceptance.id).desc())
            )
        ],
        staff_access=access_about_person(db, user_id=user_id),
    )
