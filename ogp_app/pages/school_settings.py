"""/school/settings: the school admin of the session's school invites colleagues and sets up school SSO.

Everyone else sees "no access" and receives no school data. The school comes from the server-side
session only; the OIDC client secret is write-only (the field is empty on load, never sent back).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import field, link_button, section, text_input
from ogp_app.components.text import t
from ogp_app.i18n import translate
from ogp_app.models import Role
from ogp_app.models.tenancy import BOOKING_RETENTION_CHOICES
from ogp_app.services.accounts import account_settings, resend_invitation
from ogp_app.services.auth import sso
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.rounds import booking_retention
from ogp_app.state.base import AppState
from ogp_app.state.form_input import checkbox, required_text

TEXT_MAX = 254
URL_MAX = 500
SECRET_MAX = 1000
KEY_MAX = 32
ADMIN = Access((Role.SCHOOL_ADMIN,))
Invite = Callable[..., object]  # account_settings.invite_colleague, or onboarding.invite_to_school


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
            key = secrets.token_urlsafe(9)
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
            self._load(await self._call(ADMIN, lambda call: _changed(call, change)))
            setattr(self, notice_var, notice(ok_key))

    @rx.event
    async def load_settings(self) -> None:
        """on_load: the school's settings for its admin; "no access" (and no data) for anyone else."""
        with self._handled(deny=self._deny):
            self._load(await self._call(ADMIN, _settings))
            self.invite_notice = self.colleagues_notice = self.sso_notice = self.retention_notice = NO_NOTICE

    @rx.event
    async def invite(self, form_data: dict[str, Any]) -> None:
        """Invite a teacher or fellow admin; the mail goes out through the outbox."""
        language = self.lang if self.lang in ("nl", "en") else "nl"
        await self._change(
            "invite_notice", lambda call: invite_from_form(call, form_data, language), "school.invite.sent"
        )

    @rx.event
    async def resend(self, key: str) -> None:
        """Mail a fresh invitation to the colleague behind ``key`` (a key of this page's list)."""
        user_id = self._colleague_ids.get(key) if isinstance(key, str) and len(key) <= KEY_MAX else None
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


# The blocking work of the handlers (in a worker thread, for the admin of the session's school). The
# form is read here, after the caller was checked: a refused caller is refused whatever they sent.


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


def invite_from_form(
    call: Call, form: Any, language: str, invite: Invite = account_settings.invite_colleague
) -> str:
    """Invite whom a page's invite form names (``invite_name``, ``invite_email``, ``invite_role``) with
    ``invite`` (a teacher or fellow admin); the e-mail address as typed."""
    name = required_text(form, "invite_name", TEXT_MAX)
    email = required_text(form, "invite_email", TEXT_MAX)
    role = required_text(form, "invite_role", 20)
    school_id, inviter = call.school_id, call.identity.user_id
    invite(
        call.db,
        school_id=school_id,
        inviter_user_id=inviter,
        email=email,
        name=name,
        role=role,
        language=language,
    )
    return email


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


# --- the page ---------------------------------------------------------------------------------------


def _submit(label_key: str) -> rx.Component:
    return rx.button(t(label_key), type="submit", high_contrast=True, size="3")


def _details() -> rx.Component:
    def item(label_key: str, value: Any) -> rx.Component:
        return rx.data_list.item(rx.data_list.label(t(label_key)), rx.data_list.value(value))

    return section(
        "school.details.title",
        rx.data_list.root(
            item("school.details.name", SchoolSettingsState.school_title),
            item("school.details.slug", SchoolSettingsState.school_slug),
            item("school.details.brin", SchoolSettingsState.school_brin),
            item("school.details.city", SchoolSettingsState.school_city),
            item(
                "school.details.status",
                rx.match(
                    SchoolSettingsState.school_status,
                    ("active", t("school.status.active")),
                    ("pending", t("school.status.pending")),
                    t("school.status.frozen"),
                ),
            ),
            orientation={"initial": "vertical", "sm": "horizontal"},
        ),
        link_button("access_log.link", "/school/access-log", variant="outline"),
        id="school-details",
    )


def _invite() -> rx.Component:
    return section(
        "school.invite.title",
        rx.text(t("school.invite.help"), size="2", color_scheme="gray"),
        rx.el.form(
            rx.vstack(
                field(
                    "school.invite.name",
                    "invite_name",
                    text_input("invite_name", required=True, max_length=200, auto_complete="off"),
                ),
                field(
                    "school.invite.email",
                    "invite_email",
                    text_input(
                        "invite_email", type="email", required=True, max_length=254, auto_complete="off"
                    ),
                ),
                field(
                    "school.invite.role",
                    "invite_role",
                    rx.el.select(
                        rx.el.option(t("app.role.teacher"), value="teacher"),
                        rx.el.option(t("app.role.school_admin"), value="school_admin"),
                        id="invite_role",
                        name="invite_role",
                        default_value="teacher",
                        width="100%",
                        min_height="40px",
                        padding_x="0.6rem",
                        font_size="1rem",
                        color="var(--gray-12)",
                        background_color="var(--color-surface)",
                        border="1px solid var(--gray-a8)",
                        border_radius="var(--radius-2)",
                    ),
                ),
                _submit("school.invite.submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=SchoolSettingsState.invite,
            reset_on_submit=True,
            width="100%",
        ),
        notice_view(SchoolSettingsState.invite_notice),
        id="school-invite",
    )


def _status_badge(status: Any) -> rx.Component:
    return rx.badge(
        rx.match(
            status,
            ("accepted", t("accounts.invitation.accepted")),
            ("pending", t("accounts.invitation.pending")),
            ("expired", t("accounts.invitation.expired")),
            t("accounts.invitation.not_invited"),
        ),
        color_scheme=rx.match(status, ("accepted", "green"), ("pending", "amber"), "gray"),
        size="2",
        high_contrast=True,
    )


def _role_text(role: rx.Var[str]) -> rx.Component:
    return rx.badge(
        rx.match(role, ("school_admin", t("app.role.school_admin")), t("app.role.teacher")),
        variant="outline",
        size="2",
        high_contrast=True,
    )


def _colleague(row: rx.Var[ColleagueView]) -> rx.Component:
    person: Any = row
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(
                    person.name, " ", rx.cond(person.is_self, t("school.colleagues.you"), ""), weight="bold"
                ),
                rx.text(person.email, size="2", color_scheme="gray", word_break="break-all"),
                rx.hstack(rx.foreach(person.roles, _role_text), _status_badge(person.status), wrap="wrap"),
                spacing="1",
                min_width="0",
            ),
            rx.cond(
                (person.status != "accepted") & ~person.is_self,
                rx.button(
                    t("school.colleagues.resend"),
                    on_click=SchoolSettingsState.resend(person.key),  # type: ignore[operator]
                    variant="outline",
                    high_contrast=True,
                ),
            ),
            justify="between",
            align="center",
            gap="3",
            wrap="wrap",
        ),
        padding_y="0.6rem",
        border_bottom="1px solid var(--gray-a4)",
        class_name="colleague",
    )


def _colleagues() -> rx.Component:
    return section(
        "school.colleagues.title",
        notice_view(SchoolSettingsState.colleagues_notice),
        rx.cond(
            SchoolSettingsState.colleagues.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(
                rx.foreach(SchoolSettingsState.colleagues, _colleague),
                style={"listStyle": "none", "padding": "0", "margin": "0", "width": "100%"},
            ),
            rx.text(t("school.colleagues.none")),
        ),
        id="school-colleagues",
    )


def _copyable(label_key: str, value: Any, element_id: str, help_key: str | None = None) -> rx.Component:
    parts: list[rx.Component] = [
        rx.text(t(label_key), weight="medium", size="2"),
        rx.code(value, id=element_id, word_break="break-all", size="2", variant="soft"),
    ]
    if help_key:
        parts.append(rx.text(t(help_key), size="2", color_scheme="gray"))
    return rx.vstack(*parts, spacing="1", width="100%")


def _sso() -> rx.Component:
    s = SchoolSettingsState
    return section(
        "school.sso.title",
        rx.text(t("school.sso.help"), size="2", color_scheme="gray"),
        _copyable("school.sso.redirect", s.sso_redirect_uri, "sso-redirect-uri"),
        rx.el.form(
            rx.vstack(
                field(
                    "school.sso.issuer",
                    "sso_issuer",
                    text_input(
                        "sso_issuer",
                        type="url",
                        required=True,
                        default_value=s.sso_issuer,
                        placeholder="https://login.microsoftonline.com/…/v2.0",
                        auto_complete="off",
                    ),
                ),
                field(
                    "school.sso.client_id",
                    "sso_client_id",
                    text_input(
                        "sso_client_id", required=True, default_value=s.sso_client_id, auto_complete="off"
                    ),
                ),
                field(
                    "school.sso.client_secret",
                    "sso_client_secret",
                    text_input(
                        "sso_client_secret",
                        type="password",
                        auto_complete="new-password",
                        max_length=SECRET_MAX,
                        help_id=True,
                    ),
                    help_key="school.sso.secret_help",
                ),
                field(
                    "school.sso.domain",
                    "sso_domain",
                    text_input(
                        "sso_domain", default_value=s.sso_domain, placeholder="school.nl", auto_complete="off"
                    ),
                ),
                field(
                    "school.sso.tenant",
                    "sso_tenant",
                    text_input("sso_tenant", default_value=s.sso_tenant, auto_complete="off"),
                ),
                rx.el.label(
                    rx.hstack(
                        rx.switch(
                            name="sso_enabled",
                            id="sso_enabled",
                            default_checked=s.sso_enabled,
                            high_contrast=True,
                        ),
                        rx.text(t("school.sso.enabled")),
                        spacing="2",
                        align="center",
                    ),
                ),
                _submit("school.sso.save"),
                spacing="3",
                width="100%",
                max_width="640px",
            ),
            on_submit=SchoolSettingsState.save_sso,
            key=s.form_key,
            width="100%",
        ),
        notice_view(s.sso_notice),
        _copyable("school.sso.url", s.sso_login_url, "sso-login-url", "school.sso.url_help"),
        id="school-sso",
    )


def _retention() -> rx.Component:
    s = SchoolSettingsState
    return section(
        "school.retention.title",
        rx.text(t("school.retention.help"), size="2", color_scheme="gray"),
        rx.el.form(
            rx.vstack(
                field(
                    "school.retention.months",
                    "retention_months",
                    rx.el.select(
                        *(
                            rx.el.option(
                                rx.cond(
                                    AppState.lang == "en",
                                    translate("school.retention.option", "en", months=m),
                                    translate("school.retention.option", "nl", months=m),
                                ),
                                value=str(m),
                            )
                            for m in BOOKING_RETENTION_CHOICES
                        ),
                        id="retention_months",
                        name="retention_months",
                        default_value=s.retention_months,
                        width="100%",
                        min_height="40px",
                        padding_x="0.6rem",
                        font_size="1rem",
                        color="var(--gray-12)",
                        background_color="var(--color-surface)",
                        border="1px solid var(--gray-a8)",
                        border_radius="var(--radius-2)",
                    ),
                ),
                _submit("school.retention.save"),
                spacing="3",
                width="100%",
            ),
            on_submit=s.save_retention,
            key=s.form_key,
            width="100%",
        ),
        notice_view(s.retention_notice),
        id="school-retention",
    )


def school_settings_page() -> rx.Component:
    granted = rx.vstack(
        rx.heading(t("school.settings.title"), as_="h1", size="7"),
        rx.text(SchoolSettingsState.school_title, size="4", color_scheme="gray"),
        rx.grid(
            rx.vstack(_details(), _invite(), spacing="4", width="100%"),
            rx.vstack(_colleagues(), _retention(), spacing="4", width="100%"),
            columns={"initial": "1", "md": "2"},
            gap="1rem",
            width="100%",
            align="start",
        ),
        _sso(),
        spacing="4",
        width="100%",
    )
    denied = rx.vstack(
        rx.heading(t("school.settings.title"), as_="h1", size="7"),
        rx.callout(
            rx.vstack(
                rx.text(t("school.no_access.title"), weight="bold"),
                rx.text(t("school.no_access.body")),
                spacing="1",
            ),
            icon="lock",
            color_scheme="red",
            high_contrast=True,
            role="alert",
            id="no-access",
        ),
        spacing="4",
        width="100%",
    )
    return page_frame(
        rx.match(SchoolSettingsState.access, ("granted", granted), ("denied", denied), rx.fragment())
    )
