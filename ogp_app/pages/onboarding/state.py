"""The onboarding wizard's state: only the admin of the session's school sees or changes anything.

Every handler re-reads identity from the session cookie; refused callers get every var wiped (an
anonymous caller's state is empty already, so nothing changes for them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.core.db import school_session
from ogp_app.i18n import translate
from ogp_app.models import Role
from ogp_app.services import onboarding
from ogp_app.services.accounts import account_settings
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import DomainError, InvalidInput, NotAuthenticated, PermissionDenied
from ogp_app.services.onboarding import SchoolDetails, SchoolDetailsInvalid
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WIZARD_PATH = "/school/onboarding"
_FIELD_MAX = 254


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

    def _admin(self) -> tuple[Identity, int]:
        identity = self._require(Role.SCHOOL_ADMIN)
        assert identity.school_id is not None  # _require with a role guarantees a school
        return identity, identity.school_id

    def _wipe(self, access: str = "") -> None:
        self.access, self.step, self.steps = access, "", []
        self.can_finish = self.finished = False
        self.details = SchoolDetails()
        self.errors_nl, self.errors_en = {}, {}
        self.version_in_force = self.accepted_version = self.accepted_at = ""
        self.invited = []
        self.step_notice = NO_NOTICE

    def _load(self, identity: Identity, school_id: int, *, step: str | None = None) -> None:
        with school_session(school_id) as db:
            steps = onboarding.checklist(db, school_id=school_id, admin_user_id=identity.user_id)
            self.details = onboarding.school_details(db, school_id=school_id, admin_user_id=identity.user_id)
            accepted = onboarding.agreement_acceptance(db, school_id=school_id)
            people = account_settings.colleagues(db, school_id=school_id, admin_user_id=identity.user_id)
        self.access = "granted"
        self.version_in_force = onboarding.AGREEMENT_VERSION  # the agreement's own version
        self.steps = [StepView(key, steps.done[key]) for key in onboarding.STEPS]
        self.can_finish, self.finished = steps.can_finish, steps.done["done"]
        self.step = step or self.step or steps.next_step
        self.accepted_version = accepted.version if accepted else ""
        self.accepted_at = (
            accepted.accepted_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if accepted else ""
        )
        self.invited = [
            InvitedView(p.name, p.email, p.roles[0], p.status)
            for p in people
            if p.user_id != identity.user_id
        ]
        self.form_key += 1

    def _refuse(self) -> None:
        """A refused call: wipe the page (signed-in strangers see "no access", anonymous nothing)."""
        self._wipe("denied" if self._identity() is not None else "")

    @rx.event
    def load(self) -> EventSpec | None:
        """on_load: the wizard for the admin; "no access" for other signed-in people; log-in for the rest."""
        self.step_notice = NO_NOTICE
        self.errors_nl, self.errors_en = {}, {}
        try:
            identity, school_id = self._admin()
            self.step = ""
            self._load(identity, school_id)
        except (NotAuthenticated, PermissionDenied) as refused:
            self._refuse()
            if isinstance(refused, NotAuthenticated):
                return rx.redirect("/login")
        return None

    @rx.event
    def show_step(self, step: str) -> None:
        """Open a step of the checklist (each can be revisited)."""
        try:
            identity, school_id = self._admin()
            if not isinstance(step, str) or step not in onboarding.STEPS:
                raise InvalidInput("unknown step")
            self.step_notice = NO_NOTICE
            self.errors_nl, self.errors_en = {}, {}
            self._load(identity, school_id, step=step)
        except (NotAuthenticated, PermissionDenied):
            self._refuse()
        except DomainError:
            return

    @rx.event
    def save_details(self, form: dict[str, Any]) -> None:
        try:
            identity, school_id = self._admin()
            values = {name: required_text(form, name, _FIELD_MAX) for name in onboarding.FIELDS}
            with school_session(school_id) as db:
                onboarding.update_school_details(
                    db, school_id=school_id, admin_user_id=identity.user_id, details=SchoolDetails(**values)
                )
            self.errors_nl, self.errors_en = {}, {}
            self._load(identity, school_id, step="agreement")
            self.step_notice = notice("onboarding.details.saved")
        except (NotAuthenticated, PermissionDenied):
            self._refuse()
        except SchoolDetailsInvalid as invalid:
            # keep what was typed (what no browser can display back is dropped)
            self.details = SchoolDetails(**{k: v if v.isprintable() else "" for k, v in values.items()})
            self.errors_nl = {f: translate(k, "nl") for f, k in invalid.errors.items()}
            self.errors_en = {f: translate(k, "en") for f, k in invalid.errors.items()}
            self.step_notice = error_notice(invalid)
        except DomainError as error:
            self.step_notice = error_notice(error)

    @rx.event
    def accept_agreement(self, form: dict[str, Any]) -> None:
        try:
            identity, school_id = self._admin()
            if not checkbox(form, "accept"):
                raise InvalidInput("not ticked", message_key="onboarding.agreement.tick")
            with school_session(school_id) as db:
                onboarding.accept_processor_agreement(db, school_id=school_id, admin_user_id=identity.user_id)
            self._load(identity, school_id, step="colleagues")
            self.step_notice = notice("onboarding.agreement.accepted")
        except (NotAuthenticated, PermissionDenied):
            self._refuse()
        except DomainError as error:
            self.step_notice = error_notice(error)

    @rx.event
    def invite(self, form: dict[str, Any]) -> None:
        """Invite a teacher or fellow admin by e-mail (the mail goes out through the outbox)."""
        try:
            identity, school_id = self._admin()
            name = required_text(form, "invite_name", _FIELD_MAX)
            email = required_text(form, "invite_email", _FIELD_MAX)
            role = required_text(form, "invite_role", 20)
            with school_session(school_id) as db:
                onboarding.invite_to_school(
                    db,
                    school_id=school_id,
                    inviter_user_id=identity.user_id,
                    email=email,
                    name=name,
                    role=role,
                    language=self.lang if self.lang in ("nl", "en") else "nl",
                )
            self._load(identity, school_id, step="colleagues")
            self.step_notice = notice("onboarding.colleagues.sent", email=email.strip().lower())
        except (NotAuthenticated, PermissionDenied):
            self._refuse()
        except DomainError as error:
            self.step_notice = error_notice(error)

    @rx.event
    def finish(self) -> EventSpec | None:
        try:
            identity, school_id = self._admin()
            with school_session(school_id) as db:
                onboarding.complete_onboarding(db, school_id=school_id, admin_user_id=identity.user_id)
            self._load(identity, school_id, step="done")
        except (NotAuthenticated, PermissionDenied):
            self._refuse()
            return None
        except DomainError as error:
            self.step_notice = error_notice(error)
            return None
        return rx.redirect("/app")

    @rx.event
    def send_admin_to_wizard(self) -> EventSpec | None:
        """on_load of /app: a school admin whose school has not finished onboarding lands on the wizard."""
        identity = self._identity()
        if identity is None or identity.school_id is None or Role.SCHOOL_ADMIN.value not in identity.roles:
            return None
        if identity.must_enrol_second_factor:
            return None  # AppState.load_session sends them to the set-up first
        with school_session(identity.school_id) as db:
            if onboarding.needs_onboarding(db, school_id=identity.school_id):
                return rx.redirect(WIZARD_PATH)
        return None
