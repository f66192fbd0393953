"""/school/settings: the school admin of the session's school invites colleagues and sets up school SSO.

Everyone else sees "no access" and receives no school data. The school comes from the server-side
session only; the OIDC client secret is write-only (the field is empty on load, never sent back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.i18n import normalise_language
from ogp_app.pages.shared.keys import known
from ogp_app.pages.shared.meeting_views import new_key
from ogp_app.services.accounts import account_settings, resend_invitation
from ogp_app.services.auth import sso
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.services.rounds import booking_retention
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text
from ogp_app.state.invite_form import invite_from_form

URL_MAX = 500


SECRET_MAX = 1000


@dataclass(frozen=True)
class ColleagueView:
    """A row of the colleagues list; ``key`` stands in for the user id, which stays on the server."""

    key: str
    name: str
    email: str
    roles: list[str]
    status: str
    is_self: bool


class SchoolSettingsState(AppState):
    """Only filled for the school admin of the session's school."""

    access: str = ""  # "" before loading, "granted" or "denied"
    school_title: str = ""
    school_slug: str = ""
    school_brin: str = ""
    school_city: str = ""
    school_status: str = ""
    colleagues: list[ColleagueView] = []
    _colleague_ids: dict[str, int] = {}
    sso_configured: bool = False
    sso_issuer: str = ""
    sso_client_id: str = ""
    sso_domain: str = ""
    sso_tenant: str = ""
    sso_enabled: bool = False
    sso_login_url: str = ""
    sso_redirect_uri: str = ""
    form_key: str = "0"
    invite_notice: Notice = NO_NOTICE
    colleagues_notice: Notice = NO_NOTICE
    sso_notice: Notice = NO_NOTICE
    retention_months: str = ""  # months bookings of an ended round are kept: "3", "6", "12" or "24"
    retention_notice: Notice = NO_NOTICE

    def _deny(self) -> None:
        """No access: wipe every piece of school data from the state (and so from the browser)."""
        self.access = "denied"
        self.school_title = self.school_slug = self.school_brin = self.school_city = self.school_status = ""
        self.colleagues = []
        self._colleague_ids = {}
        self.sso_configured = self.sso_enabled = False
        self.sso_issuer = self.sso_client_id = self.sso_domain = self.sso_tenant = ""
        self.sso_login_url = self.sso_redirect_uri = ""
        self.invite_notice = self.colleagues_notice = self.sso_notice = NO_NOTICE
        self.retention_months, self.retention_notice = "", NO_NOTICE

    def _load(self, page: _Settings) -> None:
        summary, provider = page.summary, page.provider
        self.access = "granted"
        self.retention_months = str(page.months)
        self.school_title, self.school_slug = summary.name, summary.slug
        self.school_brin, self.school_city, self.school_status = (
            summary.brin_code,
            summary.city,
            summary.status,
        )
        ids: dict[str, int] = {}
        views: list[ColleagueView] = []
        for row in page.colleagues:
            key = new_key()
            ids[key] = row.user_id
            views.append(
                ColleagueView(
                    key=key,
                    name=row.name,
                    email=row.email,
                    roles=list(row.roles),
                    status=row.status,
                    is_self=row.user_id == page.user_id,
                )
            )
        self.colleagues, self._colleague_ids = views, ids
        self.sso_configured = provider is not None
        self.sso_issuer = provider.issuer if provider else ""
        self.sso_client_id = provider.client_id if provider else ""
        self.sso_domain = (provider.allowed_email_domain or "") if provider else ""
        self.sso_tenant = (provider.tenant_id or "") if provider else ""
        self.sso_enabled = provider.enabled if provider else False
        self.sso_login_url = account_settings.sso_start_url(summary.slug)
        self.sso_redirect_uri = sso.redirect_uri()
        self.form_key = str(int(self.form_key) + 1)

    async def _change(self, notice_var: str, change: Callable[[Call], object], ok_key: str) -> None:
        """Make one change and show the page again (one call); the section's message says how it went.
        A refused action wipes whatever the page showed, flagging nothing."""
        with self._handled(notice=notice_var):
            self._load(await self._call(SCHOOL_ADMIN, lambda call: _changed(call, change)))
            setattr(self, notice_var, notice(ok_key))

    @rx.event
    async def load_settings(self) -> None:
        """on_load: the school's settings for its admin; "no access" (and no data) for anyone else."""
        with self._handled(deny=self._deny):
            self._load(await self._call(SCHOOL_ADMIN, _settings))
            self.invite_notice = self.colleagues_notice = self.sso_notice = self.retention_notice = NO_NOTICE

    @rx.event
    async def invite(self, form_data: dict[str, Any]) -> None:
        """Invite a teacher or fellow admin; the mail goes out through the outbox."""
        language = normalise_language(self.lang)
        await self._change(
            "invite_notice", lambda call: invite_from_form(call, form_data, language), "school.invite.sent"
        )

    @rx.event
    async def resend(self, key: str) -> None:
        """Mail a fresh invitation to the colleague behind ``key`` (a key of this page's list)."""
        user_id = known(self._colleague_ids, key)
        await self._change(
            "colleagues_notice", lambda call: _resend_invite(call, user_id), "school.colleagues.resent"
        )

    @rx.event
    async def save_sso(self, form_data: dict[str, Any]) -> None:
        """Store the school's OIDC provider; an empty secret keeps the stored one."""
        await self._change("sso_notice", lambda call: _save_sso(call, form_data), "school.sso.saved")

    @rx.event
    async def save_retention(self, form_data: dict[str, Any]) -> None:
        """Store how long bookings (and notes) of ended rounds are kept: 3, 6, 12 or 24 months."""
        await self._change(
            "retention_notice", lambda call: _save_retention(call, form_data), "school.retention.saved"
        )


@dataclass(frozen=True)
class _Settings:
    summary: account_settings.SchoolSummary
    colleagues: list[account_settings.ColleagueRow]
    provider: sso.ProviderSettings | None
    months: int
    user_id: int  # the admin who looks


def _settings(call: Call) -> _Settings:
    db, school_id, user_id = call.db, call.school_id, call.identity.user_id
    return _Settings(
        summary=account_settings.school_summary(db, school_id=school_id, admin_user_id=user_id),
        colleagues=account_settings.colleagues(db, school_id=school_id, admin_user_id=user_id),
        provider=sso.provider_settings(db, school_id=school_id),
        months=booking_retention.booking_retention(db, school_id=school_id),
        user_id=user_id,
    )


def _changed(call: Call, change: Callable[[Call], object]) -> _Settings:
    change(call)
    return _settings(call)


def _resend_invite(call: Call, user_id: int | None) -> None:
    if user_id is None:
        raise InvalidInput("unknown colleague")
    resend_invitation(
        call.db, school_id=call.school_id, inviter_user_id=call.identity.user_id, user_id=user_id
    )


def _save_sso(call: Call, form_data: Any) -> None:
    issuer = required_text(form_data, "sso_issuer", URL_MAX)
    client_id = required_text(form_data, "sso_client_id", 255)
    secret = required_text(form_data, "sso_client_secret", SECRET_MAX)
    domain = required_text(form_data, "sso_domain", 253)
    tenant = required_text(form_data, "sso_tenant", 64)
    enabled = checkbox(form_data, "sso_enabled")
    account_settings.require_school_admin(call.db, school_id=call.school_id, user_id=call.identity.user_id)
    sso.configure_provider(
        call.db,
        school_id=call.school_id,
        issuer=issuer,
        client_id=client_id,
        client_secret=secret or None,
        allowed_email_domain=domain or None,
        tenant_id=tenant or None,
        enabled=enabled,
    )


def _save_retention(call: Call, form_data: Any) -> None:
    months = required_text(form_data, "retention_months", 4)
    booking_retention.set_booking_retention(
        call.db, school_id=call.school_id, admin_user_id=call.identity.user_id, months=months
    )
