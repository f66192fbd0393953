"""The Reflex app: HTTP routes and security headers in front, pages behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from ogp_app import event_timing, websocket_guard
from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.api.proxy_headers import trust_proxy_headers
from ogp_app.api.upload_guard import UploadGuard, keep_uploads_in_memory
from ogp_app.background import run_background_jobs
from ogp_app.core import log_bounds, log_format
from ogp_app.core.gc_tuning import tune_garbage_collector
from ogp_app.core.settings import get_settings
from ogp_app.i18n import catalog
from ogp_app.pages.account.account.state import AccountState
from ogp_app.pages.account.account.view import account_page
from ogp_app.pages.account.privacy_me.state import PrivacyCentreState
from ogp_app.pages.account.privacy_me.view import privacy_centre_page
from ogp_app.pages.account.two_factor.state import TwoFactorSetupState
from ogp_app.pages.account.two_factor.view import account_two_factor_page
from ogp_app.pages.auth.choose_school.state import ChooseSchoolState
from ogp_app.pages.auth.choose_school.view import choose_school_page
from ogp_app.pages.auth.link_pages.state import (
    ConfirmEmailState,
    InvitationState,
    SignInLinkState,
    VerifyState,
)
from ogp_app.pages.auth.link_pages.view import (
    confirm_email_page,
    invitation_page,
    sign_in_link_page,
    verify_page,
)
from ogp_app.pages.auth.login.state import LoginState
from ogp_app.pages.auth.login.view import login_page
from ogp_app.pages.auth.login_two_factor.state import TwoFactorPromptState
from ogp_app.pages.auth.login_two_factor.view import two_factor_prompt_page
from ogp_app.pages.auth.password_reset.state import ForgotPasswordState, ResetPasswordState
from ogp_app.pages.auth.password_reset.view import forgot_password_page, reset_password_page
from ogp_app.pages.auth.signup.state import SignupState
from ogp_app.pages.auth.signup.view import signup_page
from ogp_app.pages.family.book.state import BookState
from ogp_app.pages.family.book.view import book_page
from ogp_app.pages.family.review.state import ReviewFormState
from ogp_app.pages.family.review.view import review_page
from ogp_app.pages.public.contact.view import contact_page
from ogp_app.pages.public.landing import landing_page
from ogp_app.pages.public.privacy.state import PrivacyAcceptState, PrivacyHistoryState, PrivacyStatementState
from ogp_app.pages.public.privacy.view import privacy_accept_page, privacy_history_page, privacy_page
from ogp_app.pages.public.reviews.state import FaqPageState, PublicReviewsState
from ogp_app.pages.public.reviews.view import faq_page, reviews_page
from ogp_app.pages.public.unavailable import UNAVAILABLE_PATH, backend_exception_handler, unavailable_page
from ogp_app.pages.public.visits import VisitState
from ogp_app.pages.school.access_log.state import SchoolAccessLogState
from ogp_app.pages.school.access_log.view import school_access_log_page
from ogp_app.pages.school.app.state import AdminHomeState
from ogp_app.pages.school.app.view import overview_page
from ogp_app.pages.school.billing.state import BillingState
from ogp_app.pages.school.billing.view import billing_page
from ogp_app.pages.school.classes.state import ClassesState
from ogp_app.pages.school.classes.view import classes_page
from ogp_app.pages.school.dashboard.state import SchoolDashboardState
from ogp_app.pages.school.dashboard.view import school_dashboard_page
from ogp_app.pages.school.guardians.state import GuardiansState
from ogp_app.pages.school.guardians.view import guardians_page
from ogp_app.pages.school.onboarding.state import OnboardingState
from ogp_app.pages.school.onboarding.view import onboarding_page
from ogp_app.pages.school.pupils.state import PupilsState
from ogp_app.pages.school.pupils.view import pupils_page
from ogp_app.pages.school.roster_import.state import RosterImportState
from ogp_app.pages.school.roster_import.view import roster_import_page
from ogp_app.pages.school.roster_invitations.state import RosterInvitationsState
from ogp_app.pages.school.roster_invitations.view import roster_invitations_page
from ogp_app.pages.school.round.online import RoundOnlineState
from ogp_app.pages.school.round.state import SchoolRoundState
from ogp_app.pages.school.round.view import school_round_page
from ogp_app.pages.school.rounds.state import SchoolRoundsState
from ogp_app.pages.school.rounds.view import school_rounds_page
from ogp_app.pages.school.settings.notes import SchoolNotesState
from ogp_app.pages.school.settings.state import SchoolSettingsState
from ogp_app.pages.school.settings.video import SchoolVideoState
from ogp_app.pages.school.settings.view import school_settings_page
from ogp_app.pages.school.teacher_evening.state import TeacherEveningState
from ogp_app.pages.school.teacher_evening.view import teacher_evening_page
from ogp_app.pages.school.teacher_not_booked.state import TeacherNotBookedState
from ogp_app.pages.school.teacher_not_booked.view import teacher_not_booked_page
from ogp_app.pages.school.teachers.state import TeachersState
from ogp_app.pages.school.teachers.view import teachers_page
from ogp_app.pages.staff.dev_mailbox.state import DevMailboxState
from ogp_app.pages.staff.dev_mailbox.view import dev_mailbox_page
from ogp_app.pages.staff.disclosures.state import StaffDisclosuresState
from ogp_app.pages.staff.disclosures.view import staff_disclosures_page
from ogp_app.pages.staff.faq.state import StaffFaqState
from ogp_app.pages.staff.faq.view import staff_faq_page
from ogp_app.pages.staff.inbox.state import StaffInboxState
from ogp_app.pages.staff.inbox.view import staff_inbox_page
from ogp_app.pages.staff.policies.state import StaffPoliciesState
from ogp_app.pages.staff.policies.view import staff_policies_page
from ogp_app.pages.staff.reviews.state import StaffReviewsState
from ogp_app.pages.staff.reviews.view import staff_reviews_page
from ogp_app.pages.staff.schools.state import StaffSchoolsState
from ogp_app.pages.staff.schools.view import staff_schools_page
from ogp_app.pages.staff.stats.state import StaffStatsState
from ogp_app.pages.staff.stats.view import staff_stats_page
from ogp_app.services.billing.supplier import warn_operator
from ogp_app.state.base import AppState
from ogp_app.state.session_binding import SessionBindingMiddleware
from ogp_app.state.staff import StaffGateState

app = rx.App(
    html_lang="nl",  # Dutch first; the page wrapper's lang follows the visitor's choice
    # Inner to outer: routes, the upload guard, headers on every answer (the guard's refusals too), and
    # outermost the client's address from a trusted reverse proxy's X-Forwarded-For (HTTP and websocket).
    api_transformer=[build_api(), UploadGuard, SecurityHeadersMiddleware, trust_proxy_headers],
    backend_exception_handler=backend_exception_handler,  # database unreachable: a friendly page
    head_components=[rx.el.link(rel="icon", href="/favicon.ico")],
)
keep_uploads_in_memory()
app.add_middleware(SessionBindingMiddleware())  # a Reflex client token alone never carries anyone's state
websocket_guard.install(app)  # rate and size limits on the websocket; see there
log_bounds.install()  # no client can grow the log without bound or break it with a lone surrogate
log_format.install(get_settings().log_format)  # OGP_LOG_FORMAT=json: one JSON object per line
event_timing.install()  # every page event timed per handler for the operator's /api/metrics

Handler = Any  # a Reflex event handler reference
Page = tuple[str, Callable[[], rx.Component], str, list[Handler]]

# Each page: route, component, title key, and what runs on load after the session is read from the
# cookie. Every signed-in page's own on_load re-checks identity and role; handlers check again.
_PUBLIC: list[Page] = [
    ("/", landing_page, "app.tagline", [VisitState.count_visit]),
    ("/privacy", privacy_page, "privacy.title", [PrivacyStatementState.load, VisitState.count_visit]),
    ("/contact", contact_page, "contact.title", [VisitState.count_visit]),
    ("/reviews", reviews_page, "reviews.title", [PublicReviewsState.load, VisitState.count_visit]),
    ("/faq", faq_page, "faq.title", [FaqPageState.load, VisitState.count_visit]),
    ("/privacy/history", privacy_history_page, "consent.history.title", [PrivacyHistoryState.load]),
]
# The log-in side: each page's own state reads its URL (messages, the link's token) after the session.
_AUTH: list[Page] = [
    (route, component, title, [load, VisitState.count_visit])
    for route, component, title, load in [
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
]
_SIGNED_IN: list[Page] = [
    # /app: a school admin whose school has not finished onboarding is sent to the wizard first.
    ("/app", overview_page, "app.title", [OnboardingState.send_admin_to_wizard, AdminHomeState.load_home]),
    ("/account", account_page, "account.title", [AccountState.load_account]),
    ("/privacy/me", privacy_centre_page, "privacy.me.title", [PrivacyCentreState.load_privacy]),
    ("/review", review_page, "review.title", [ReviewFormState.load]),
    ("/book", book_page, "book.title", [BookState.load_page]),
    ("/teacher/evening", teacher_evening_page, "evening.title", [TeacherEveningState.load_page]),
    (
        "/teacher/not-booked",
        teacher_not_booked_page,
        "households.not_booked.title",
        [TeacherNotBookedState.load_page],
    ),
    # Always registered; its handler shows nothing unless OGP_ENV=development without SMTP.
    ("/dev/mailbox", dev_mailbox_page, "mailbox.title", [DevMailboxState.load_mailbox]),
    ("/privacy/accept", privacy_accept_page, "consent.accept.title", [PrivacyAcceptState.load]),
]
_SCHOOL: list[Page] = [
    ("/school/onboarding", onboarding_page, "onboarding.title", [OnboardingState.load]),
    (
        "/school/settings",
        school_settings_page,
        "school.settings.title",
        [SchoolSettingsState.load_settings, SchoolVideoState.load_video, SchoolNotesState.load_notes],
    ),
    ("/school/classes", classes_page, "manage.classes.title", [ClassesState.load]),
    ("/school/pupils", pupils_page, "manage.pupils.title", [PupilsState.load]),
    ("/school/guardians", guardians_page, "manage.guardians.title", [GuardiansState.load]),
    ("/school/teachers", teachers_page, "manage.teachers.title", [TeachersState.load]),
    ("/school/roster/import", roster_import_page, "roster.page.title", [RosterImportState.load_page]),
    (
        "/school/roster/invitations",
        roster_invitations_page,
        "roster.invite.title",
        [RosterInvitationsState.load_page],
    ),
    ("/school/rounds", school_rounds_page, "rounds.title", [SchoolRoundsState.load_page]),
    ("/school/billing", billing_page, "billing.title", [BillingState.load_billing]),
    (
        "/school/round",
        school_round_page,
        "round.title",
        [SchoolRoundState.load_page, RoundOnlineState.load_online],
    ),
    ("/school/access-log", school_access_log_page, "access_log.title", [SchoolAccessLogState.load_log]),
    ("/school/dashboard", school_dashboard_page, "dashboard.title", [SchoolDashboardState.load_dashboard]),
]
# The OGP staff back office: staff with a second factor only (StaffGateState, and each handler again).
_STAFF: list[Page] = [
    (route, component, title, [StaffGateState.check_access, load])
    for route, component, title, load in [
        ("/staff", staff_schools_page, "staff.schools.title", StaffSchoolsState.load),
        ("/staff/inbox", staff_inbox_page, "staff.inbox.title", StaffInboxState.load),
        ("/staff/reviews", staff_reviews_page, "staff.reviews.title", StaffReviewsState.load),
        ("/staff/stats", staff_stats_page, "staff.stats.title", StaffStatsState.load),
        ("/staff/faq", staff_faq_page, "staff.faq.title", StaffFaqState.load),
        ("/staff/policies", staff_policies_page, "staff.policies.title", StaffPoliciesState.load),
        ("/staff/disclosures", staff_disclosures_page, "staff.disclosure.title", StaffDisclosuresState.load),
    ]
]
for route, component, title_key, loads in [*_PUBLIC, *_AUTH, *_SIGNED_IN, *_SCHOOL, *_STAFF]:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, *loads],
    )

# Reached when the database is unreachable: nothing on load (it would fail again and come back here).
app.add_page(
    unavailable_page,
    route=UNAVAILABLE_PATH,
    title=f"{catalog('nl')['unavailable.title']} · Oudergesprekplanner",
)


# The operator hears at start-up which supplier details still keep invoices from being issued (production)
# or mark them VOORBEELD (elsewhere).
warn_operator()

# Mail, reminders and retention run in a child process, off the event loop that serves the pages.
app.register_lifespan_task(run_background_jobs)
app.register_lifespan_task(tune_garbage_collector)
