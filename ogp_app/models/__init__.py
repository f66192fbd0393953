"""All tables; importing this package registers every model with SQLModel's metadata (Alembic reads it)."""

from ogp_app.models.accounts import AuditEvent, OneTimeToken, RateLimitHit, TokenPurpose
from ogp_app.models.auth import AuthSession, SessionStage
from ogp_app.models.bookings import Booking, Slot
from ogp_app.models.mail import OutboxMessage, OutboxStatus
from ogp_app.models.people import User
from ogp_app.models.roster import (
    ClassTeacher,
    Guardian,
    Household,
    Pupil,
    PupilGuardian,
    RosterMapping,
    SchoolClass,
    Teacher,
)
from ogp_app.models.rounds import (
    ConferenceRound,
    RoundClass,
    RoundDay,
    RoundTeacher,
    TeacherAvailability,
    TeacherBreak,
)
from ogp_app.models.sso import OidcLoginAttempt, SchoolIdentityProvider
from ogp_app.models.tenancy import Membership, Role, School, SchoolStatus
from ogp_app.models.two_factor import RecoveryCode, TotpCredential

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Booking",
    "ClassTeacher",
    "ConferenceRound",
    "Guardian",
    "Household",
    "Membership",
    "OidcLoginAttempt",
    "OneTimeToken",
    "OutboxMessage",
    "OutboxStatus",
    "Pupil",
    "PupilGuardian",
    "RateLimitHit",
    "RecoveryCode",
    "Role",
    "RosterMapping",
    "RoundClass",
    "RoundDay",
    "RoundTeacher",
    "School",
    "SchoolClass",
    "SchoolIdentityProvider",
    "SchoolStatus",
    "SessionStage",
    "Slot",
    "Teacher",
    "TeacherAvailability",
    "TeacherBreak",
    "TokenPurpose",
    "TotpCredential",
    "User",
]
