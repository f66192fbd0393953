"""Onboarding of a new school: details, processor agreement, colleagues, roster, done.

Framework-free; ``db`` is ``school_session(school_id)`` and only the school's admin may call.
"""

from ogp_app.services.onboarding.checklist import (
    REQUIRED_STEPS,
    STEPS,
    Checklist,
    OnboardingIncomplete,
    checklist,
    complete_onboarding,
    invite_to_school,
    needs_onboarding,
)
from ogp_app.services.onboarding.details import (
    FIELDS,
    SchoolDetails,
    SchoolDetailsInvalid,
    school_details,
    update_school_details,
    validate,
)
from ogp_app.services.onboarding.policies import (
    AGREEMENT_VERSION,
    Acceptance,
    accept_processor_agreement,
    agreement_acceptance,
    agreement_current,
)
from ogp_app.services.policies.versions import version_in_force

__all__ = [
    "AGREEMENT_VERSION",
    "FIELDS",
    "REQUIRED_STEPS",
    "STEPS",
    "Acceptance",
    "Checklist",
    "OnboardingIncomplete",
    "SchoolDetails",
    "SchoolDetailsInvalid",
    "accept_processor_agreement",
    "agreement_acceptance",
    "agreement_current",
    "checklist",
    "complete_onboarding",
    "invite_to_school",
    "needs_onboarding",
    "school_details",
    "update_school_details",
    "validate",
    "version_in_force",
]
