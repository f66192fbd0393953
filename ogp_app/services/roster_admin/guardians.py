"""Guardians (ouders/verzorgers) and the households they book in: list, add, edit, archive and back."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ogp_app.models import Guardian, Household, Pupil, PupilGuardian
from ogp_app.services.errors import InvalidInput
from ogp_app.services.mail.languages import language_name, parse_language
from ogp_app.services.roster_admin.access import (
    Viewer,
    archived_filter,
    email_address,
    matching,
    saving,
    school_row,
    set_contact,
    store_archived,
    text,
)
from ogp_app.services.roster_admin.pupils import full_name


@dataclass(frozen=True)
class GuardianRow:
    id: int
    name: str
    email: str
    household_id: int
    household: str
    pupils: str  # the children's names
    has_account: bool
    archived: bool
    language: str = ""  # ISO code from the school's file or this page; "" when not known
    language_nl: str = ""  # its name, for the page
    language_en: str = ""


@dataclass(frozen=True)
class HouseholdOption:
    id: int
    label: str


def _visible_guardian_ids(db: Session, viewer: Viewer) -> list[int]:
    """For a teacher: the guardians of current pupils in their classes."""
    return [
        guardian_id
        for guardian_id in db.exec(
            select(PupilGuardian.guardian_id)
            .join(Pupil, col(Pupil.id) == PupilGuardian.pupil_id)
            .where(col(Pupil.class_id).in_(viewer.class_ids), col(Pupil.archived_at).is_(None))
            .distinct()
        ).all()
    ]


def _children(db: Session, guardian_ids: list[int], viewer: Viewer) -> dict[int, str]:
    statement = (
        select(PupilGuardian.guardian_id, Pupil.first_name, Pupil.name_prefix, Pupil.last_name)
        .join(Pupil, col(Pupil.id) == PupilGuardian.pupil_id)
        .where(col(PupilGuardian.guardian_id).in_(guardian_ids), col(Pupil.archived_at).is_(None))
        .order_by(col(Pupil.first_name))
    )
    if not viewer.is_admin:  # a teacher sees only the children in their own classes
        statement = statement.where(col(Pupil.class_id).in_(viewer.class_ids))
    names: dict[int, list[str]] = {}
    for guardian_id, first, prefix, last in db.exec(statement).all():
        names.setdefault(guardian_id, []).append(full_name(first, prefix, last))
    return {guardian_id: ", ".join(found) for guardian_id, found in names.items()}


def list_guardians(
    db: Session, *, viewer: Viewer, query: object = "", archived: bool = False
) -> list[GuardianRow]:
    """Guardians the viewer may see (teachers: of their classes' pupils), by name; searchable."""
    if archived:
        viewer.require_admin()
    statement = (
        select(Guardian, Household.label)
        .join(Household, col(Household.id) == Guardian.household_id)
        .where(Guardian.school_id == viewer.school_id, archived_filter(Guardian.archived_at, archived))
    )
    if not viewer.is_admin:
        statement = statement.where(col(Guardian.id).in_(_visible_guardian_ids(db, viewer)))
    statement = matching(statement, query, Guardian.display_name, Guardian.email)
    rows = db.exec(statement.order_by(col(Guardian.display_name)).limit(500)).all()
    children = _children(db, [g.id for g, _ in rows if g.id is not None], viewer)
    return [
        GuardianRow(
            id=g.id,
            name=g.display_name,
            email=g.email,
            household_id=g.household_id,
            household=label,
            pupils=children.get(g.id, ""),
            has_account=g.user_id is not None,
            archived=g.archived_at is not None,
            language=g.language or "",
            language_nl=language_name(g.language, "nl"),
            language_en=language_name(g.language, "en"),
        )
        for g, label in rows
        if g.id is not None
    ]


def households(db: Session, *, viewer: Viewer) -> list[HouseholdOption]:
    """Every household of the school, for the "lives with" choice. Admins only."""
    viewer.require_admin()
    rows = db.exec(
        select(Household.id, Household.label)
        .where(Household.school_id == viewer.school_id)
        .order_by(col(Household.label))
        .limit(2000)
    ).all()
    return [HouseholdOption(household_id, label) for household_id, label in rows if household_id is not None]


def save_guardian(
    db: Session,
    *,
    viewer: Viewer,
    guardian_id: object | None,
    name: object,
    email: object,
    household_id: object | None,
    language: object = "",
) -> int:
    """Add or change a guardian; ``household_id`` None starts a new household. Admins only.

    The e-mail address is unique per school: one guardian row per address, whatever their children.
    ``language``: a code or a language's name, as in the import; "" for not known.
    """
    viewer.require_admin()
    clean_name = text(name, max_length=200, key="manage.error.guardian_name")
    address = email_address(email)
    spoken = text(language, max_length=40, key="households.error.language_form", required=False)
    code = parse_language(spoken) if spoken else None
    if spoken and code is None:
        raise InvalidInput("language", message_key="households.error.language_form")
    with saving(db, "manage.error.guardian_duplicate"):
        if household_id is None:
            household = Household(school_id=viewer.school_id, label=clean_name)
            db.add(household)
            db.flush()
        else:
            household = school_row(db, viewer, Household, household_id)
        assert household.id is not None
        if guardian_id is None:
            guardian = Guardian(
                school_id=viewer.school_id, household_id=household.id, display_name=clean_name, email=address
            )
        else:
            guardian = school_row(db, viewer, Guardian, guardian_id)
        set_contact(guardian, name=clean_name, address=address)
        guardian.household_id, guardian.language = household.id, code
        db.add(guardian)
        db.flush()
    assert guardian.id is not None
    return guardian.id


def set_guardian_archived(db: Session, *, viewer: Viewer, guardian_id: object, archived: bool) -> None:
    """Archive a guardian (no longer invited or shown) or bring them back. Admins only."""
    viewer.require_admin()
    guardian = school_row(db, viewer, Guardian, guardian_id)
    store_archived(db, guardian, archived=archived, duplicate_key="manage.error.guardian_duplicate")
