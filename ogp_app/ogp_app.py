"""The Reflex app: HTTP routes and security headers in front, pages behind."""

from __future__ import annotations

import reflex as rx

from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.db import session as db_session
from ogp_app.i18n import catalog
from ogp_app.integrations.mailer import mailer_from_settings
from ogp_app.pages.account import AccountState, account_page
from ogp_app.pages.account_two_factor import TwoFactorSetupState, account_two_factor_page
from ogp_app.pages.book import BookState, book_page
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
from ogp_app.pages.overview import overview_page
from ogp_app.pages.password_reset import (
    ForgotPasswordState,
    ResetPasswordState,
    forgot_password_page,
    reset_password_page,
)
from ogp_app.pages.school_rounds import SchoolRoundsState, school_rounds_page
from ogp_app.pages.school_settings import SchoolSettingsState, school_settings_page
from ogp_app.pages.signup import SignupState, signup_page
from ogp_app.pages.teacher_evening import TeacherEveningState, teacher_evening_page
from ogp_app.pages.two_factor_prompt import TwoFactorPromptState, two_factor_prompt_page
from ogp_app.services.outbox import deliver_forever
from ogp_app.state.base import AppState
from ogp_app.state.session_binding import SessionBindingMiddleware

app = rx.App(
    html_lang="nl",  # Dutch first; the page wrapper's lang follows the visitor's choice
    api_transformer=[build_api(), SecurityHeadersMiddleware],
    head_components=[rx.el.link(rel="icon", href="/favicon.ico")],
)
app.add_middleware(SessionBindingMiddleware())  # a Reflex client token alone never carries anyone's state

_PAGES = [
    ("/", landing_page, "app.tagline"),
    ("/app", overview_page, "app.title"),
    ("/privacy", privacy_page, "privacy.title"),
    ("/contact", contact_page, "contact.title"),
]
for route, component, title_key in _PAGES:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=AppState.load_session,
    )

# Signed-in pages: the page's own on_load re-checks identity (and role) from the session cookie.
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
# Conference rounds: parents book, teachers see their evening, the school admin sets rounds up.
for route, component, title_key, load in [
    ("/book", book_page, "book.title", BookState.load_page),
    ("/teacher/evening", teacher_evening_page, "evening.title", TeacherEveningState.load_page),
    ("/school/rounds", school_rounds_page, "rounds.title", SchoolRoundsState.load_page),
]:
    app.add_page(
        component,
        route=route,
        title=f"{catalog('nl')[title_key]} · Oudergesprekplanner",
        on_load=[AppState.load_session, load],
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
        on_load=[AppState.load_session, load],
    )

# Always registered; its handler shows nothing unless OGP_ENV=development without SMTP.
app.add_page(
    dev_mailbox_page,
    route="/dev/mailbox",
    title=f"{catalog('nl')['mailbox.title']} · Oudergesprekplanner",
    on_load=[AppState.load_session, DevMailboxState.load_mailbox],
)


async def deliver_mail() -> None:
    """Requests only write to the outbox; this task of the backend process sends it, every few seconds.

    Several backend workers may each run it: rows are claimed atomically, so nothing is sent twice.
    """
    await deliver_forever(db_session, mailer_from_settings(), interval=5.0)


app.register_lifespan_task(deliver_mail)
