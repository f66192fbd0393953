"""The one list of event handlers meant for anonymous visitors.

Every other handler of the app's own states must refuse a caller without a session: no public var may
change (Reflex's router bookkeeping aside) and no row may change. Handlers listed here may change
public vars for an anonymous caller, but must still leak nothing and change no row, unless
``row_changes`` says why a row change is intended.

Keys are ``module.Class.handler``. A stale key (a handler that no longer exists) fails the meta-test.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnonymousUse:
    reason: str
    row_changes: str | None = None  # why an anonymous call may change rows; None: it must not


# Link pages (/verify, /sign-in, ...): opening the link only checks it; the page's button POSTs.
LINK_PAGE = "on_load of a link page: peeks at ?token= to show whether it still works, never consumes it"

ANONYMOUS_HANDLERS: dict[str, AnonymousUse] = {
    "ogp_app.state.base.AppState.load_session": AnonymousUse(
        "on_load of every page, the public ones included: shows who is signed in, or that nobody is"
    ),
    "ogp_app.state.base.AppState.set_language": AnonymousUse(
        "the language switch is on the public pages too; anonymously it only sets the ogp_lang cookie"
    ),
    "ogp_app.pages.staff.dev_mailbox.state.DevMailboxState.load_mailbox": AnonymousUse(
        "the local mailbox of `make run` (OGP_ENV=development without SMTP): anonymously it only says that "
        "the demo log-in is needed, with no mail at all; everywhere else it returns nothing"
    ),
    "ogp_app.pages.school.settings.state.SchoolSettingsState.load_settings": AnonymousUse(
        "on_load of /school/settings: for anyone but the school's admin it only switches to the "
        "'no access' view, with every school field empty"
    ),
    "ogp_app.pages.school.roster_import.state.RosterImportState.load_page": AnonymousUse(
        "on_load of /school/roster/import: for anyone but the school's admin it only switches to the "
        "'no access' view; no file, mapping or roster data"
    ),
    "ogp_app.pages.school.roster_invitations.state.RosterInvitationsState.load_page": AnonymousUse(
        "on_load of /school/roster/invitations: for anyone but the school's admin it only switches to "
        "the 'no access' view, with an empty list"
    ),
    "ogp_app.pages.school.billing.state.BillingState.load_billing": AnonymousUse(
        "on_load of /school/billing: for anyone but the school's admin it only switches to the "
        "'no access' view, with every billing field empty"
    ),
    "ogp_app.pages.auth.link_pages.state.VerifyState.load": AnonymousUse(LINK_PAGE),
    "ogp_app.pages.family.book.state.BookState.load_page": AnonymousUse(
        "on_load of /book: for anyone but a parent of the school it only switches to the 'no access' view"
    ),
    "ogp_app.pages.school.teacher_evening.state.TeacherEveningState.load_page": AnonymousUse(
        "on_load of /teacher/evening: for anyone but a teacher it only switches to the 'no access' view"
    ),
    "ogp_app.pages.school.dashboard.state.SchoolDashboardState.load_dashboard": AnonymousUse(
        "on_load of /school/dashboard: for anyone but a school admin it only switches to the 'no access' view"
    ),
    "ogp_app.pages.school.teacher_not_booked.state.TeacherNotBookedState.load_page": AnonymousUse(
        "on_load of /teacher/not-booked: for anyone but a teacher it only switches to the 'no access' view"
    ),
    "ogp_app.pages.school.rounds.state.SchoolRoundsState.load_page": AnonymousUse(
        "on_load of /school/rounds: for anyone but the school's admin it only switches to 'no access'"
    ),
    "ogp_app.pages.auth.link_pages.state.SignInLinkState.load": AnonymousUse(LINK_PAGE),
    "ogp_app.pages.auth.link_pages.state.ConfirmEmailState.load": AnonymousUse(LINK_PAGE),
    "ogp_app.pages.auth.link_pages.state.InvitationState.load": AnonymousUse(
        LINK_PAGE + "; names school and role"
    ),
    "ogp_app.pages.auth.password_reset.state.ResetPasswordState.load": AnonymousUse(LINK_PAGE),
    "ogp_app.pages.auth.login.state.LoginState.set_sso_school": AnonymousUse(
        "the school code typed on /login for the school-account button"
    ),
    "ogp_app.pages.auth.login.state.LoginState.request_link": AnonymousUse(
        "asking for a sign-in link happens signed out; the answer never says whether the address exists",
        row_changes="a keyed-hash rate-limit hit; a token and its mail only when the account exists",
    ),
    "ogp_app.pages.auth.password_reset.state.ForgotPasswordState.submit": AnonymousUse(
        "a forgotten password is reported signed out; the answer never says whether the address exists",
        row_changes="a keyed-hash rate-limit hit; a token and its mail only when the account exists",
    ),
    "ogp_app.pages.auth.signup.state.SignupState.submit": AnonymousUse(
        "a school signs up before it has an account",
        row_changes="a valid sign-up creates the pending school, its admin, membership, token and mail",
    ),
    # Back office, contact, reviews, visit statistics, FAQ (issue 8).
    "ogp_app.pages.public.contact.state.ContactState.submit": AnonymousUse(
        "the public contact form is for everyone, signed in or not; an answer says only sent or why not",
        row_changes="a valid message adds its contact_message row, keyed-hash rate-limit hits, the copy to "
        "the sender and a notice to each staff account in the outbox; a filled honeypot writes nothing",
    ),
    "ogp_app.pages.public.visits.VisitState.count_visit": AnonymousUse(
        "on_load of the public pages: counts the page view; it has no public vars",
        row_changes="bumps the page_view count of a listed public path and day, and adds that day's salt "
        "and salted visitor mark (no IP, user agent, cookie or account); other paths write nothing",
    ),
    "ogp_app.pages.public.reviews.state.PublicReviewsState.load": AnonymousUse(
        "on_load of /reviews: the published reviews, as first name, town and (if the school chose) school"
    ),
    "ogp_app.pages.public.reviews.state.FaqPageState.load": AnonymousUse(
        "on_load of /faq: the public questions"
    ),
    "ogp_app.state.staff.StaffGateState.check_access": AnonymousUse(
        "on_load of every /staff page: for anyone but staff with a second factor it only switches to the "
        "'no access' view; the staff pages' own handlers return nothing to them"
    ),
    "ogp_app.pages.account.privacy_me.state.PrivacyCentreState.load_privacy": AnonymousUse(
        "on_load of /privacy/me: a signed-out visitor only gets the log-in prompt (and, after a refused "
        "download, the 'expired or used' message); no data of anyone"
    ),
    "ogp_app.pages.public.privacy.state.PrivacyStatementState.load": AnonymousUse(
        "on_load of /privacy: the privacy statement in force is public (its version, date and text)"
    ),
    "ogp_app.pages.public.privacy.state.PrivacyHistoryState.load": AnonymousUse(
        "on_load of /privacy/history: every published version of the privacy statement is public"
    ),
    "ogp_app.pages.public.privacy.state.PrivacyAcceptState.load": AnonymousUse(
        "on_load of /privacy/accept: a signed-out visitor is only sent to /login (the 'sign in' view)"
    ),
    "ogp_app.pages.school.round.state.SchoolRoundState.load_page": AnonymousUse(
        "on_load of /school/round: for anyone but the school's admin it only switches to 'no access'"
    ),
    "ogp_app.pages.school.access_log.state.SchoolAccessLogState.load_log": AnonymousUse(
        "on_load of /school/access-log: for anyone but the school's admin it only switches to the "
        "'no access' view, with no log entries"
    ),
}
