"""What is left of a school's onboarding, computed from its data; finishing it; inviting colleagues."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ogp_app.models import Membership, OneTimeToken, Pupil, School, Teacher, TokenPurpose
from ogp_app.models.base import utcnow
from ogp_app.services.accounts import normalise_email
from ogp_app.services.accounts.account_settings import COLLEAGUE_ROLES, invite_colleague
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.errors import DomainError
from ogp_app.services.onboarding.details import details_of
from ogp_app.services.onboarding.policies import agreement_current

STEPS = ("details", "agreement", "colleagues", "roster", "done")
# Without these the school cannot use the planner; colleagues and the roster can follow later.
REQUIRED_STEPS = ("details", "agreement")


class OnboardingIncomplete(DomainError):
    message_key = "onboarding.error.incomplete"


@dataclass(frozen=True)
class Checklist:
    done: dict[str, bool]  # step -> done, for every step of STEPS

    @property
    def can_finish(self) -> bool:
        return all(self.done[step] for step in REQUIRED_STEPS)

    @property
    def next_step(self) -> str:
        """The first step not done yet ("done" when everything is)."""
        return next((step for step in STEPS if not self.done[step]), "done")


def _colleagues_invited(db: Session, school_id: int) -> bool:
    """Someone besides the first admin holds a teacher or admin role, or was invited to one (an address
    that had an account gets the role only when accepting: the step must not tell the two apart)."""
    members = db.exec(
        select(Membership.user_id).where(
            Membership.school_id == school_id, col(Membership.role).in_(COLLEAGUE_ROLES)
        )
    ).all()
    invited = db.exec(
        select(OneTimeToken.user_id).where(
            OneTimeToken.purpose == TokenPurpose.INVITATION.value,
            OneTimeToken.school_id == school_id,
            col(OneTimeToken.role).in_(COLLEAGUE_ROLES),
        )
    ).all()
    return len({*members, *invited}) > 1


def _roster_imported(db: Session, school_id: int) -> bool:
    return (
        db.exec(
            select(Pupil.id).where(Pupil.school_id == school_id, col(Pupil.archived_at).is_(None)).limit(1)
        ).first()
        is not None
    )


def _checklist(db: Session, school: School) -> Checklist:
    assert school.id is not None
    done = {
        "details": details_of(school).complete,
        "agreement": agreement_current(db, school_id=school.id),
        "colleagues": _colleagues_invited(db, school.id),
        "roster": _roster_imported(db, school.id),
        "done": school.onboarding_completed_at is not None,
    }
    return Checklist(done=done)


def checklist(db: Session, *, school_id: int, admin_user_id: int) -> Checklist:
    """Which steps are done. ``db``: ``school_session(school_id)``; only the school's admin may ask."""
    return _checklist(db, require_school_admin(db, school_id=school_id, user_id=admin_user_id))


def complete_onboarding(db: Session, *, school_id: int, admin_user_id: int) -> Checklist:
    """Mark onboarding done once the required steps are; idempotent."""
    school = require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    if not _checklist(db, school).can_finish:
        raise OnboardingIncomplete()
    if school.onboarding_completed_at is None:
        school.onboarding_completed_at = utcnow()
        db.add(school)
        db.commit()
    return _checklist(db, school)


def needs_onboarding(db: Session, *, school_id: int) -> bool:
    """Whether the school's admins should be sent to the wizard. ``db``: any session."""
    school = db.get(School, school_id)
    return school is not None and school.onboarding_completed_at is None


def invite_to_school(
    db: Session, *, school_id: int, inviter_user_id: int, email: str, name: str, role: str, language: str
) -> int:
    """Invite a teacher or fellow admin; a teacher also gets a roster entry (linked to the account).

    ``db``: ``school_session(school_id)``. Returns the invited person's user id.
    """
    user_id = invite_colleague(
        db,
        school_id=school_id,
        inviter_user_id=inviter_user_id,
        email=email,
        name=name,
        role=role,
        language=language,
    )
    if role == "teacher":
        address = normalise_email(email)
        teacher = db.exec(
            select(Teacher).where(Teacher.school_id == school_id, Teacher.email == address)
        ).first()
        if teacher is None:
            teacher = Teacher(school_id=school_id, display_name=" ".join(name.split()), email=address)
        if teacher.user_id is None:
            teacher.user_id = user_id
            db.add(teacher)
            db.commit()
    return user_id
