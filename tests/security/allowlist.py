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


ANONYMOUS_HANDLERS: dict[str, AnonymousUse] = {
    "ogp_app.state.base.AppState.load_session": AnonymousUse(
        "on_load of every page, the public ones included: shows who is signed in, or that nobody is"
    ),
    "ogp_app.state.base.AppState.set_language": AnonymousUse(
        "the language switch is on the public pages too; anonymously it only sets the ogp_lang cookie"
    ),
    "ogp_app.pages.dev_mailbox.DevMailboxState.load_mailbox": AnonymousUse(
        "the local mailbox of `make run` (OGP_ENV=development without SMTP) shows verification links to "
        "people who are signing up, so nobody is signed in yet; everywhere else it returns nothing"
    ),
    "ogp_app.pages.school_settings.SchoolSettingsState.load_settings": AnonymousUse(
        "on_load of /school/settings: for anyone but the school's admin it only switches to the "
        "'no access' view, with every school field empty"
    ),
}
