"""All tables; importing this package registers every model with SQLModel's metadata (Alembic reads it)."""

from ogp_app.models.accounts import (
    AuditEvent,
    OneTimeToken,
    RateLimitHit,
    TokenPurpose,
)
from ogp_app.models.analytics import (
    PageView,
    VisitMark,
    VisitSalt,
)
from ogp_app.models.auth import (
    AuthSession,
    SessionStage,
)
from ogp_app.models.backoffice import (
    ContactMessage,
    ContactReply,
    ContactStatus,
    ContactTopic,
    StaffAccessLog,
)
from ogp_app.models.billing import (
    CollectionMethod,
    Invoice,
    InvoiceSequence,
    InvoiceStatus,
    ProcessedStripeEvent,
    Subscription,
    SubscriptionStatus,
)
from ogp_app.models.bookings import (
    Booking,
    Slot,
)
from ogp_app.models.disclosures import (
    LegalDisclosure,
    LegalDisclosureSubject,
)
from ogp_app.models.faq import (
    FaqEntry,
)
from ogp_app.models.mail import (
    OutboxMessage,
    OutboxStatus,
)
from ogp_app.models.outcomes import (
    ConversationOutcome,
)
from ogp_app.models.people import (
    User,
)
from ogp_app.models.privacy import (
    PolicyAcceptance,
    PolicyDocument,
    PolicyVersion,
)
from ogp_app.models.privacy_downloads import (
    ExportDownload,
)
from ogp_app.models.reviews import (
    Review,
    ReviewStatus,
)
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
    FamilyReminder,
    RoundClass,
    RoundDay,
    RoundTeacher,
    TeacherAvailability,
    TeacherBreak,
)
from ogp_app.models.sso import (
    OidcLoginAttempt,
    SchoolIdentityProvider,
)
from ogp_app.models.tenancy import (
    Membership,
    Role,
    School,
    SchoolStatus,
)
from ogp_app.models.two_factor import (
    RecoveryCode,
    TotpCredential,
)
from ogp_app.models.video import (
    ConversationJoin,
    ConversationRoom,
    SchoolVideoService,
    TeacherVideoLink,
)

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Booking",
    "ClassTeacher",
    "CollectionMethod",
    "ConferenceRound",
    "ContactMessage",
    "ContactReply",
    "ContactStatus",
    "ContactTopic",
    "ConversationJoin",
    "ConversationOutcome",
    "ConversationRoom",
    "ExportDownload",
    "FamilyReminder",
    "FaqEntry",
    "Guardian",
    "Household",
    "Invoice",
    "InvoiceSequence",
    "InvoiceStatus",
    "LegalDisclosure",
    "LegalDisclosureSubject",
    "Membership",
    "OidcLoginAttempt",
    "OneTimeToken",
    "OutboxMessage",
    "OutboxStatus",
    "PageView",
    "PolicyAcceptance",
    "PolicyDocument",
    "PolicyVersion",
    "ProcessedStripeEvent",
    "Pupil",
    "PupilGuardian",
    "RateLimitHit",
    "RecoveryCode",
    "Review",
    "ReviewStatus",
    "Role",
    "RosterMapping",
    "RoundClass",
    "RoundDay",
    "RoundTeacher",
    "School",
    "SchoolClass",
    "SchoolIdentityProvider",
    "SchoolStatus",
    "SchoolVideoService",
    "SessionStage",
    "Slot",
    "StaffAccessLog",
    "Subscription",
    "SubscriptionStatus",
    "Teacher",
    "TeacherAvailability",
    "TeacherBreak",
    "TeacherVideoLink",
    "TokenPurpose",
    "TotpCredential",
    "User",
    "VisitMark",
    "VisitSalt",
]
