"""The view of /school/settings (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import bare_list, column, or_empty, person_line, two_columns
from ogp_app.components.forms import submit
from ogp_app.components.layout import page_column
from ogp_app.components.notice import notice_view
from ogp_app.components.school_parts import (
    access_page,
    invitation_badge,
    invite_form,
    role_badge,
    select_box,
)
from ogp_app.components.settings_forms import field, form_stack, input_field, link_button, section, text_input
from ogp_app.components.text import by_lang, t
from ogp_app.i18n import translate
from ogp_app.models.tenancy import BOOKING_RETENTION_CHOICES
from ogp_app.pages.school.settings.notes import notes_panel
from ogp_app.pages.school.settings.state import SECRET_MAX, ColleagueView, SchoolSettingsState
from ogp_app.pages.school.settings.video import video_panel


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
        invite_form(SchoolSettingsState.invite),
        notice_view(SchoolSettingsState.invite_notice),
        id="school-invite",
    )


def _colleague(row: rx.Var[ColleagueView]) -> rx.Component:
    person: Any = row
    return person_line(
        rx.text(person.name, " ", rx.cond(person.is_self, t("school.colleagues.you"), ""), weight="bold"),
        person.email,
        rx.hstack(rx.foreach(person.roles, role_badge), invitation_badge(person.status), wrap="wrap"),
        rx.cond(
            (person.status != "accepted") & ~person.is_self,
            rx.button(
                t("school.colleagues.resend"),
                on_click=SchoolSettingsState.resend(person.key),  # type: ignore[operator]
                variant="outline",
                high_contrast=True,
            ),
        ),
        class_name="colleague",
    )


def _colleagues() -> rx.Component:
    return section(
        "school.colleagues.title",
        notice_view(SchoolSettingsState.colleagues_notice),
        or_empty(
            SchoolSettingsState.colleagues,
            bare_list(SchoolSettingsState.colleagues, _colleague),
            "school.colleagues.none",
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
        form_stack(
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
            input_field("school.sso.tenant", "sso_tenant", default_value=s.sso_tenant, auto_complete="off"),
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
            submit("school.sso.save"),
            on_submit=SchoolSettingsState.save_sso,
            stack={"max_width": "640px"},
            key=s.form_key,
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
        form_stack(
            field(
                "school.retention.months",
                "retention_months",
                select_box(
                    "retention_months",
                    *(
                        rx.el.option(
                            by_lang(
                                translate("school.retention.option", "en", months=m),
                                translate("school.retention.option", "nl", months=m),
                            ),
                            value=str(m),
                        )
                        for m in BOOKING_RETENTION_CHOICES
                    ),
                    default_value=s.retention_months,
                ),
            ),
            submit("school.retention.save"),
            on_submit=s.save_retention,
            key=s.form_key,
        ),
        notice_view(s.retention_notice),
        id="school-retention",
    )


def school_settings_page() -> rx.Component:
    granted = page_column(
        "school.settings.title",
        rx.text(SchoolSettingsState.school_title, size="4", color_scheme="gray"),
        two_columns(
            column(_details(), _invite()), column(_colleagues(), _retention(), notes_panel(), video_panel())
        ),
        _sso(),
    )
    return access_page(SchoolSettingsState.access, granted, title_key="school.settings.title")
