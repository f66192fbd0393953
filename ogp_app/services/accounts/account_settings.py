"""What the /account and /school/settings pages show and the rules behind their buttons.

Framework-free like every service: the pages pass the caller's ids from the server-side session and
turn :class:`DomainError` into a translated message. The results are display DTOs (never table objects),
and nothing here returns a password hash, token or secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from ogp_app.core.settings import get_settings
from ogp_app.models import Membership, OneTimeToken, Role, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services.accounts import SchoolChoice, invitation_status, invite_member, memberships_of
from ogp_app.services.auth import audit, rate_limit, two_factor
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import DomainError, InvalidInput

# The roles a school admin invites on the settings page; parents arrive through the roster import.
COLLEAGUE_ROLES = (Role.TEACHER.value, Role.SCHOOL_ADMIN.value)
# Wrong second-factor codes on the account page: the same budget as failed log-ins of one account.
CODE_ATTEMPTS = rate_limit.LOGIN_PER_ACCOUNT


class TwoFactorMandatory(DomainError):
    """School admins and OGP staff cannot switch their second factor off."""

    message_key = "account.error.two_factor_mandatory"


class TooManyCodeAttempts(RateLimited):
    message_key = "account.error.too_many_codes"


@dataclass(frozen=True)
class AccountView:
    """The signed-in person's own account, for display."""

    display_name: str
    email: str
    language: str
    has_password: bool
    pending_email: str  # "" when no e-mail change waits for confirmation
    two_factor_enabled: bool
    two_factor_mandatory: bool
    schools: list[SchoolChoice]


@dataclass(frozen=True)
class SchoolSummary:
    name: str
    slug: str
    brin_code: str
    city: str
    status: str


@dataclass(frozen=True)
class ColleagueRow:
    """A teacher or school admin of the school and whether they accepted their invitation."""

    user_id: int
    name: str
    email: str
    roles: tuple[str, ...]
    status: str  # an InvitationStatus value


def two_factor_mandatory(db: Session, *, user_id: int) -> bool:
    """Staff, and school admins at *any* of their schools, must keep a second factor. ``db``: unscoped()."""
    user = db.get(User, user_id)
    if user is None:
        raise InvalidInput("no such user")
    roles = frozenset(role for choice in memberships_of(db, user_id=user_id) for role in choice.roles)
    return two_factor.second_factor_required(roles=roles, is_staff=user.is_staff)


def pending_email_change(db: Session, *, user_id: int) -> str:
    """The address an e-mail change waits to be confirmed at (newest open link), or ""."""
    new_email = db.exec(
        select(OneTimeToken.new_email)
        .where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == TokenPurpose.EMAIL_CHANGE.value,
            col(OneTimeToken.used_at).is_(None),
            OneTimeToken.expires_at > utcnow(),
        )
        .order_by(col(OneTimeToken.id).desc())
    ).first()
    return new_email or ""


def account_view(db: Session, *, user_id: int) -> AccountView:
    """Everything /account shows. ``db``: ``unscoped()`` (a person's memberships span schools)."""
    user = db.get(User, user_id)
    if user is None:
        raise InvalidInput("no such user")
    return AccountView(
        display_name=user.display_name,
        email=user.email,
        language=user.preferred_language,
        has_password=user.password_hash is not None,
        pending_email=pending_email_change(db, user_id=user_id),
        two_factor_enabled=two_factor.is_enrolled(db, user_id=user_id),
        two_factor_mandatory=two_factor_mandatory(db, user_id=user_id),
        schools=memberships_of(db, user_id=user_id),
    )


def _check_code(db: Session, *, user_id: int, code: object) -> None:
    """Accept a fresh authenticator code or a recovery code; wrong ones are counted and limited."""
    key = rate_limit.limit_key("account_two_factor:user", str(user_id))
    text = code if isinstance(code, str) and len(code) <= 64 else ""
    try:
        right = rate_limit.counted_attempt(
            db,
            key=key,
            limit=CODE_ATTEMPTS,
            attempt=lambda: two_factor.verify_second_factor(db, user_id=user_id, code=text),
        )
    except RateLimited as limited:
        raise TooManyCodeAttempts(limited.retry_after_seconds) from None
    if not right:
        raise two_factor.TwoFactorCodeInvalid()


def disable_two_factor(db: Session, *, user_id: int, code: str) -> None:
    """Switch the second factor off after a current code; refused where it is mandatory.

    ``db``: ``unscoped()`` (the mandatory check reads the person's roles at every school).
    """
    if not two_factor.is_enrolled(db, user_id=user_id):
        raise two_factor.TwoFactorNotEnabled()
    if two_factor_mandatory(db, user_id=user_id):
        raise TwoFactorMandatory()
    _check_code(db, user_id=user_id, code=code)
    two_factor.disable(db, user_id=user_id)
    audit.record(db, event=audit.Event.TWO_FACTOR_DISABLED, subject_user_id=user_id, actor_user_id=user_id)
    db.commit()


def regenerate_recovery_codes(db: Session, *, user_id: int, code: str) -> list[str]:
    """New recovery codes (shown once) after a current code; every earlier one stops working.

    ``db``: a plain ``session()``.
    """
    if not two_factor.is_enrolled(db, user_id=user_id):
        raise two_factor.TwoFactorNotEnabled()
    _check_code(db, user_id=user_id, code=code)
    return two_factor.regenerate_recovery_codes(db, user_id=user_id)


def school_summary(db: Session, *, school_id: int, admin_user_id: int) -> SchoolSummary:
    """The school's details for its admin. ``db``: ``school_session(school_id)``."""
    school = require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    return SchoolSummary(
        name=school.name,
        slug=school.slug,
        brin_code=school.brin_code or "",
        city=school.city or "",
        status=school.status,
    )


def colleagues(db: Session, *, school_id: int, admin_user_id: int) -> list[ColleagueRow]:
    """Teachers and school admins of the school with their invitation status, by name.

    ``db``: ``school_session(school_id)``; only its admin may ask.
    """
    require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    rows = db.exec(
        select(User.id, User.display_name, User.email, Membership.role)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.school_id == school_id, col(Membership.role).in_(COLLEAGUE_ROLES))
        .order_by(col(User.display_name), col(User.id), col(Membership.role))
    ).all()
    grouped: dict[int, tuple[str, str, list[str]]] = {}
    for user_id, name, email, role in rows:
        assert user_id is not None
        grouped.setdefault(user_id, (name, email, []))[2].append(role)
    listed = [
        ColleagueRow(
            user_id=user_id,
            name=name,
            email=email,
            roles=tuple(roles),
            status=invitation_status(db, school_id=school_id, user_id=user_id).value,
        )
        for user_id, (name, email, roles) in grouped.items()
    ]
    pending = _pending_colleagues(db, school_id=school_id, members=set(grouped))
    return sorted([*listed, *pending], key=lambda row: (row.name, row.user_id))  # the same order either way


def _pending_colleagues(db: Session, *, school_id: int, members: set[int]) -> list[ColleagueRow]:
    """Invited people with no role here yet (an address that had an account): only what the school
    typed, the name on its latest invitation and the address."""
    rows = db.exec(
        select(OneTimeToken.user_id, OneTimeToken.invited_name, OneTimeToken.role, User.email)
        .join(User, col(User.id) == OneTimeToken.user_id)
        .where(
            OneTimeToken.purpose == TokenPurpose.INVITATION.value,
            OneTimeToken.school_id == school_id,
            col(OneTimeToken.role).in_(COLLEAGUE_ROLES),
            col(OneTimeToken.user_id).not_in(members),
        )
        .order_by(col(OneTimeToken.id).desc())
    ).all()
    latest: dict[int, ColleagueRow] = {}
    for user_id, name, role, email in rows:
        if user_id not in latest and role is not None:
            status = invitation_status(db, school_id=school_id, user_id=user_id).value
            latest[user_id] = ColleagueRow(user_id, name or email, email, (role,), status)
    return list(latest.values())


def invite_colleague(
    db: Session, *, school_id: int, inviter_user_id: int, email: str, name: str, role: str, language: str
) -> int:
    """Invite a teacher or fellow school admin (not a parent). ``db``: ``school_session(school_id)``."""
    if role not in COLLEAGUE_ROLES:
        raise InvalidInput("colleagues are teachers or school admins", message_key="account.error.role")
    return invite_member(
        db,
        school_id=school_id,
        inviter_user_id=inviter_user_id,
        email=email,
        name=name,
        role=role,
        language=language,
    )


def sso_start_url(slug: str) -> str:
    """The address teachers of the school open to sign in with the school's identity provider."""
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}/api/auth/oidc/start?{urlencode({'school': slug})}"


def set_language(db: Session, identity: Identity, language: str) -> None:
    """Remember the page language the person chose (mails follow it too)."""
    user = db.get(User, identity.user_id)
    if user is not None:
        user.preferred_language = language
        db.add(user)
        db.commit()
