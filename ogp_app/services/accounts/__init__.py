"""Accounts: sign-up, log-in, e-mail links, invitations, profile and the school switch.

Framework-free services with keyword-only arguments; each commits its own work, all or nothing.
Which session to pass: a plain ``session()`` unless the docstring says ``unscoped()`` (work that
spans schools: sign-up, a person's memberships) or ``school_session(school_id)`` (one school's
memberships: invitations).
"""

from ogp_app.services.accounts._common import (
    AccountLocked,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    InvalidEmail,
    InvalidName,
    normalise_email,
)
from ogp_app.services.accounts.invitations import (
    InvitationAlreadyAccepted,
    InvitationStatus,
    accept_invitation,
    invitation_offer,
    invitation_status,
    invite_member,
    refresh_invitation,
    resend_invitation,
)
from ogp_app.services.accounts.login import (
    authenticate,
    consume_sign_in_link,
    request_password_reset,
    request_sign_in_link,
    reset_password,
)
from ogp_app.services.accounts.profile import (
    CurrentPasswordWrong,
    SameEmail,
    change_display_name,
    confirm_email_change,
    request_email_change,
    set_language,
    set_password,
)
from ogp_app.services.accounts.schools import SchoolChoice, default_school_id, memberships_of, switch_school
from ogp_app.services.accounts.signup import (
    InvalidSchoolName,
    SignUpResult,
    Verified,
    resend_verification,
    sign_up_school_admin,
    verify_email,
)

__all__ = [
    "AccountLocked",
    "CurrentPasswordWrong",
    "EmailNotVerified",
    "EmailTaken",
    "InvalidCredentials",
    "InvalidEmail",
    "InvalidName",
    "InvalidSchoolName",
    "InvitationAlreadyAccepted",
    "InvitationStatus",
    "SameEmail",
    "SchoolChoice",
    "SignUpResult",
    "Verified",
    "accept_invitation",
    "authenticate",
    "change_display_name",
    "confirm_email_change",
    "consume_sign_in_link",
    "default_school_id",
    "invitation_offer",
    "invitation_status",
    "invite_member",
    "memberships_of",
    "normalise_email",
    "refresh_invitation",
    "request_email_change",
    "request_password_reset",
    "request_sign_in_link",
    "resend_invitation",
    "resend_verification",
    "reset_password",
    "set_language",
    "set_password",
    "sign_up_school_admin",
    "switch_school",
    "verify_email",
]
