"""The onboarding wizard's state: only the admin of the session's school sees or changes anything.

Every handler re-reads identity from the session cookie; refused callers get every var wiped (an
anonymous caller's state is empty already, so nothing changes for them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.i18n import normalise_language, translate
from ogp_app.models import Role
from ogp_app.services import onboarding
from ogp_app.services.accounts import account_settings
from ogp_app.services.errors import DomainError, InvalidInput, NotAuthenticated, PermissionDenied
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Access, Call
from ogp_app.services.onboarding import SchoolDetails, SchoolDetailsInvalid
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text
from ogp_app.state.invite_form import invite_from_form

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WIZARD_PATH = "/school/onboarding"
_FIELD_MAX = 254
# /app's on_load only looks whether to send an admin here: it never refused a frozen school or an admin
# whose consent is due (AppState.load_session handles that), only one who must enrol a second factor.
ADMIN_ON_APP = Access((Role.SCHOOL_ADMIN,), allow_consent_due=True, allow_frozen=True)


@dataclass(frozen=True)
class StepView:
    key: str
    done: bool


@dataclass(frozen=True)
class InvitedView:
    name: str
    email: str
    role: str
    status: str


class OnboardingState(AppState):
    access: str = ""  # "" before loading, "granted" or "denied"
    step: str = ""
    steps: list[StepView] = []
    can_finish: bool = False
    finished: bool = False
    details: SchoolDetails = SchoolDetails()
    errors_nl: dict[str, str] = {}
    errors_en: dict[str, str] = {}
    version_in_force: str = ""
    accepted_version: str = ""
    accepted_at: str = ""  # Dutch date and time, Europe/Amsterdam
    invited: list[InvitedView] = []
    form_key: int = 0
    step_notice: Notice = NO_NOTICE

    def _wipe(self, access: str = "") -> None:
        self.access, self.step, self.steps = access, "", []
        self.can_finish = self.finished = False
        self.details = SchoolDetails()
        self.errors_nl, self.errors_en = {}, {}
        self.version_in_force = self.accepted_version = self.accepted_at = ""
        self.invited = []
        self.step_notice = NO_NOTICE

    def _load(self, wizard: _Wizard, *, step: str | None = None) -> None:
        steps, accepted = wizard.steps, wizard.accepted
        self.access = "granted"
        self.details = wizard.details
        self.version_in_force = onboarding.AGREEMENT_VERSION  # the agreement's own version
        self.steps = [StepView(key, steps.done[key]) for key in onboarding.STEPS]
        self.can_finish, self.finished = steps.can_finish, steps.done["done"]
        self.step = step or self.step or steps.next_step
        self.accepted_version = accepted.version if accepted else ""
        self.accepted_at = (
            accepted.accepted_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if accepted else ""
        )
        self.invited = [InvitedView(p.name, p.email, p.roles[0], p.status) for p in wizard.colleagues]
        self.form_key += 1

    @contextmanager
    def _guarded(self, notice: str = "step_notice") -> Iterator[None]:
        """``_handled``, where a refused call wipes the page: signed-in strangers see "no access", the
        anonymous nothing."""
        with self._handled(deny=lambda: self._wipe("denied"), notice=notice):
            try:
                yield
            except NotAuthenticated:
                self._wipe("")

    @rx.event
    async def load(self) -> EventSpec | None:
        """on_load: the wizard for the admin; "no access" for other signed-in people; log-in for the rest."""
        self.step_notice = NO_NOTICE
        self.errors_nl, self.errors_en = {}, {}
        try:
            wizard = await self._call(SCHOOL_ADMIN, _wizard)
        except NotAuthenticated:
            self._wipe("")
            return rx.redirect("/login")
        except PermissionDenied:
            self._wipe("denied")
            return None
        self.step = ""
        self._load(wizard)
        return None

    @rx.event
    async def show_step(self, step: str) -> None:
        """Open a step of the checklist (each can be revisited)."""
        with suppress(DomainError), self._guarded(notice=""):  # an unknown step: nothing
            wizard = await self._call(SCHOOL_ADMIN, lambda call: _wizard_at(call, step))
            self.step_notice = NO_NOTICE
            self.errors_nl, self.errors_en = {}, {}
            self._load(wizard, step=step)

    @rx.event
    async def save_details(self, form: dict[str, Any]) -> None:
        with self._guarded():
            try:
                wizard = await self._call(SCHOOL_ADMIN, lambda call: _save_details(call, form))
            except SchoolDetailsInvalid as invalid:
                # keep what was typed (what no browser can display back is dropped)
                values = _details_input(form)
                self.details = SchoolDetails(**{k: v if v.isprintable() else "" for k, v in values.items()})
                self.errors_nl = {f: translate(k, "nl") for f, k in invalid.errors.items()}
                self.errors_en = {f: translate(k, "en") for f, k in invalid.errors.items()}
                self.step_notice = error_notice(invalid)
                return
            self.errors_nl, self.errors_en = {}, {}
            self._load(wizard, step="agreement")
            self.step_notice = notice("onboarding.details.saved")

    @rx.event
    async def accept_agreement(self, form: dict[str, Any]) -> None:
        with self._guarded():
            self._load(await self._call(SCHOOL_ADMIN, lambda call: _accept(call, form)), step="colleagues")
            self.step_notice = notice("onboarding.agreement.accepted")

    @rx.event
    async def invite(self, form: dict[str, Any]) -> None:
        """Invite a teacher or fellow admin by e-mail (the mail goes out through the outbox)."""
        language = normalise_language(self.lang)
        with self._guarded():
            email, wizard = await self._call(SCHOOL_ADMIN, lambda call: _invite(call, form, language))
            self._load(wizard, step="colleagues")
            self.step_notice = notice("onboarding.colleagues.sent", email=email.strip().lower())

    @rx.event
    async def finish(self) -> EventSpec | None:
        with self._guarded():
            self._load(await self._call(SCHOOL_ADMIN, _finish), step="done")
            return rx.redirect("/app")
        return None

    @rx.event
    async def send_admin_to_wizard(self) -> EventSpec | None:
        """on_load of /app: a school admin whose school has not finished onboarding lands on the wizard.
        Anyone else, or an admin who must enrol a second factor first (AppState.load_session sends them to
        the set-up), stays."""
        with suppress(NotAuthenticated, PermissionDenied):
            if await self._call(ADMIN_ON_APP, _needs_onboarding):
                return rx.redirect(WIZARD_PATH)
        return None


# The blocking work of the handlers (in a worker thread, for the admin of the session's school).


@dataclass(frozen=True)
class _Wizard:
    """What the wizard shows, read in one session."""

    steps: onboarding.Checklist
    details: SchoolDetails
    accepted: onboarding.Acceptance | None
    colleagues: list[account_settings.ColleagueRow]  # without the admin who looks


def _wizard(call: Call) -> _Wizard:
    db, school_id, user_id = call.db, call.school_id, call.identity.user_id
    return _Wizard(
        steps=onboarding.checklist(db, school_id=school_id, admin_user_id=user_id),
        details=onboarding.school_details(db, school_id=school_id, admin_user_id=user_id),
        accepted=onboarding.agreement_acceptance(db, school_id=school_id),
        colleagues=[
            p
            for p in account_settings.colleagues(db, school_id=school_id, admin_user_id=user_id)
            if p.user_id != user_id
        ],
    )


def _wizard_at(call: Call, step: Any) -> _Wizard:
    if not isinstance(step, str) or step not in onboarding.STEPS:
        raise InvalidInput("unknown step")
    return _wizard(call)


def _details_input(form: Any) -> dict[str, str]:
    return {name: required_text(form, name, _FIELD_MAX) for name in onboarding.FIELDS}


def _save_details(call: Call, form: Any) -> _Wizard:
    details = SchoolDetails(**_details_input(form))
    onboarding.update_school_details(
        call.db, school_id=call.school_id, admin_user_id=call.identity.user_id, details=details
    )
    return _wizard(call)


def _accept(call: Call, form: Any) -> _Wizard:
    if not checkbox(form, "accept"):
        raise InvalidInput("not ticked", message_key="onboarding.agreement.tick")
    onboarding.accept_processor_agreement(
        call.db, school_id=call.school_id, admin_user_id=call.identity.user_id
    )
    return _wizard(call)


def _invite(call: Call, form: Any, language: str) -> tuple[str, _Wizard]:
    email = invite_from_form(call, form, language, invite=onboarding.invite_to_school)
    return email, _wizard(call)


def _finish(call: Call) -> _Wizard:
    onboarding.complete_onboarding(call.db, school_id=call.school_id, admin_user_id=call.identity.user_id)
    return _wizard(call)


def _needs_onboarding(call: Call) -> bool:
    return onboarding.needs_onboarding(call.db, school_id=call.school_id)
