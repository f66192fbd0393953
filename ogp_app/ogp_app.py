"""The Reflex app: HTTP routes and security headers in front, pages behind."""

from __future__ import annotations

import reflex as rx

from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.db import session as db_session
from ogp_app.db import unscoped
from ogp_app.i18n import catalog
from ogp_app.integrations.mailer import mailer_from_settings
from ogp_app.pages.account import AccountState, account_page
from ogp_app.pages.account_two_factor import TwoFactorSetupState, account_two_factor_page
from ogp_app.pages.billing import BillingState, billing_page
from ogp_app.pages.choose_school import ChooseSchoolState, choose_school_page
from ogp_app.pages.dev_mailbox import DevMailboxState, dev_mailbox_page
from ogp_app.pages.info import contact_page, privacy_page
from ogp_app.pages.landing import landing_page
from ogp_app.pages.link_pages import (
    ConfirmEmailState,
    InvitationState,
    SignInLinkState,
    VerifyState,
    confirm_email_page,
    invitation_page,
    sign_in_link_page,
    verify_page,
)
from ogp_app.pages.login import LoginState, login_page
from ogp_app.pages.onboarding import OnboardingState, onboarding_page
from ogp_app.pages.overview import overview_page
from ogp_app.pages.password_reset import (
    ForgotPasswordState,
    ResetPasswordState,
    forgot_password_page,
    reset_password_page,
)
from ogp_app.pages.privacy_centre import PrivacyCentreState, privacy_centre_page
from ogp_app.pages.public_reviews import FaqPageState, PublicReviewsState, faq_page, reviews_page
from ogp_app.pages.review_form import ReviewFormState, review_page
from ogp_app.pages.roster.classes import ClassesState, classes_page
from ogp_app.pages.roster.guardians import GuardiansState, guardians_page
from ogp_app.pages.roster.pupils import PupilsState, pupils_page
from ogp_app.pages.roster.teachers import TeachersState, teachers_page
from ogp_app.pages.roster_import import roster_import_page
from ogp_app.pages.roster_import_state import RosterImportState
from ogp_app.pages.roster_invitations import RosterInvitationsState, roster_invitations_page
from ogp_app.pages.school_settings import SchoolSettingsState, school_settings_page
from ogp_app.pages.signup import SignupState, signup_page
from ogp_app.pages.staff_faq import StaffFaqState, staff_faq_page
from ogp_app.pages.staff_inbox import StaffInboxState, staff_inbox_page
from ogp_app.pages.staff_reviews import StaffReviewsState, staff_reviews_page
from ogp_app.pages.staff_schools import StaffSchoolsState, staff_schools_page
from ogp_app.pages.staff_stats import StaffStatsState, staff_stats_page
from ogp_app.pages.two_factor_prompt import TwoFactorPromptState, two_factor_prompt_page
from ogp_app.pages.visits import VisitState
from ogp_app.services.outbox import deliver_forever
from ogp_app.services.privacy.retention import run_forever as run_retention_forever
from ogp_app.state.base import AppState
from ogp_app.state.session_binding import SessionBindingMiddleware
from ogp_app.state.staff import StaffGateState

app = rx.App(
    html_lang="nl",  # Dutch first; the page wrapper's lang follows the visitor's choice
    api_transformer=[build_api(), SecurityHeadersMiddleware],
    head_components=[rx.el.link(rel="icon", href="/favicon.ico")],
)
app.add_middleware(SessionBindingMiddleware())  # a Reflex client token alone never carries anyone's state

_PAGES = [
    ("/", landing_page, "app.tagline"),
    ("/privacy", privacy_page, "privacy.title"),
    ("/contact", contact_page, "contact.title"),
]
for route, component, title_key in _PAGES:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, VisitState.count_visit],
    )

# Signed-in pages: the page's own on_load re-checks identity (and role) from the session cookie.
# /app: a school admin whose school has not finished onboarding is sent to the wizard first.
app.add_page(
    overview_page,
    route="/app",
    title=f"{catalog('nl')['app.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, OnboardingState.send_admin_to_wizard],
)
_SCHOOL_PAGES = [
    ("/school/onboarding", onboarding_page, "onboarding.title", OnboardingState.load),
    ("/school/classes", classes_page, "manage.classes.title", ClassesState.load),
    ("/school/pupils", pupils_page, "manage.pupils.title", PupilsState.load),
    ("/school/guardians", guardians_page, "manage.guardians.title", GuardiansState.load),
    ("/school/teachers", teachers_page, "manage.teachers.title", TeachersState.load),
]
for route, component, title_key, load in _SCHOOL_PAGES:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, load],
    )
app.add_page(
    account_page,
    route="/account",
    title=f"{catalog('nl')['account.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, AccountState.load_account],
)
app.add_page(
    school_settings_page,
    route="/school/settings",
    title=f"{catalog('nl')['school.settings.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, SchoolSettingsState.load_settings],
)
# Roster import and the invitations after it (school admin only; the states re-check every call).
app.add_page(
    roster_import_page,
    route="/school/roster/import",
    title=f"{catalog('nl')['roster.page.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, RosterImportState.load_page],
)
app.add_page(
    roster_invitations_page,
    route="/school/roster/invitations",
    title=f"{catalog('nl')['roster.invite.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, RosterInvitationsState.load_page],
)
app.add_page(
    billing_page,
    route="/school/billing",
    title=f"{catalog('nl')['billing.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, BillingState.load_billing],
)
app.add_page(
    privacy_centre_page,
    route="/privacy/me",
    title=f"{catalog('nl')['privacy.me.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, PrivacyCentreState.load_privacy],
)
# The log-in side: each page's own state reads its URL (messages, the link's token) after the session.
_AUTH_PAGES = [
    ("/login", login_page, "login.title", LoginState.load),
    ("/login/two-factor", two_factor_prompt_page, "two_factor_prompt.title", TwoFactorPromptState.load),
    ("/signup", signup_page, "signup.title", SignupState.load),
    ("/verify", verify_page, "verify.title", VerifyState.load),
    ("/invitation", invitation_page, "invitation.title", InvitationState.load),
    ("/sign-in", sign_in_link_page, "signin.title", SignInLinkState.load),
    ("/confirm-email", confirm_email_page, "confirm_email.title", ConfirmEmailState.load),
    ("/forgot-password", forgot_password_page, "forgot.title", ForgotPasswordState.load),
    ("/reset-password", reset_password_page, "reset.title", ResetPasswordState.load),
    ("/account/two-factor", account_two_factor_page, "setup2fa.title", TwoFactorSetupState.load),
    ("/choose-school", choose_school_page, "choose.title", ChooseSchoolState.load),
]
for route, component, title_key, load in _AUTH_PAGES:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, load, VisitState.count_visit],
    )

# Always registered; its handler shows nothing unless OGP_ENV=development without SMTP.
app.add_page(
    dev_mailbox_page,
    route="/dev/mailbox",
    title=f"{catalog('nl')['mailbox.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, DevMailboxState.load_mailbox],
)

# Reviews and FAQ (public; /review needs a signed-in parent or school staff member).
_FEEDBACK_PAGES = [
    ("/reviews", reviews_page, "reviews.title", PublicReviewsState.load),
    ("/faq", faq_page, "faq.title", FaqPageState.load),
    ("/review", review_page, "review.title", ReviewFormState.load),
]
for route, component, title_key, load in _FEEDBACK_PAGES:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, load, VisitState.count_visit],
    )

# The OGP staff back office: staff with a second factor only (StaffGateState, and each handler again).
_STAFF_PAGES = [
    ("/staff", staff_schools_page, "staff.schools.title", StaffSchoolsState.load),
    ("/staff/inbox", staff_inbox_page, "staff.inbox.title", StaffInboxState.load),
    ("/staff/reviews", staff_reviews_page, "staff.reviews.title", StaffReviewsState.load),
    ("/staff/stats", staff_stats_page, "staff.stats.title", StaffStatsState.load),
    ("/staff/faq", staff_faq_page, "staff.faq.title", StaffFaqState.load),
]
for route, component, title_key, load in _STAFF_PAGES:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, StaffGateState.check_access, load],
    )


async def deliver_mail() -> None:
    """Requests only write to the outbox; this task of the backend process sends it, every few seconds.

    Several backend workers may each run it: rows are claimed atomically, so nothing is sent twice.
    """
    await deliver_forever(db_session, mailer_from_settings(), interval=5.0)


app.register_lifespan_task(deliver_mail)


async def keep_retention() -> None:
    """Retention (expired sessions and links, old mail, schools past their grace period) every hour."""
    await run_retention_forever(unscoped)


app.register_lifespan_task(keep_retention)
