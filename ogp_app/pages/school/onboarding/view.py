"""The wizard's page: a checklist beside the open step; on a phone the checklist sits above it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.api.agreement import AGREEMENT_PATH
from ogp_app.components.blocks import callout_stack, email_text
from ogp_app.components.forms import submit
from ogp_app.components.layout import page_column
from ogp_app.components.notice import notice_view
from ogp_app.components.roster_ui import checkbox_input
from ogp_app.components.school_parts import (
    access_page,
    invitation_badge,
    invite_form,
    role_badge,
)
from ogp_app.components.settings_forms import field, link_button, section, text_input
from ogp_app.components.text import by_lang, t
from ogp_app.pages.school.onboarding.state import OnboardingState, StepView
from ogp_app.pages.shared.round_downloads import download_link

S = OnboardingState
V: Any = OnboardingState  # for var operations mypy does not know
IMPORT_PATH = "/school/roster/import"
INVITATIONS_PATH = "/school/roster/invitations"


def _step_item(step: rx.Var[StepView]) -> rx.Component:
    item: Any = step
    label = rx.match(
        item.key,
        ("details", t("onboarding.step.details")),
        ("agreement", t("onboarding.step.agreement")),
        ("colleagues", t("onboarding.step.colleagues")),
        ("roster", t("onboarding.step.roster")),
        t("onboarding.step.done"),
    )
    return rx.el.li(
        rx.button(
            rx.cond(item.done, rx.icon("circle_check", color="var(--green-11)"), rx.icon("circle")),
            label,
            rx.cond(item.done, rx.el.span(t("onboarding.step.is_done"), class_name="sr-only", style=_SR)),
            on_click=S.show_step(item.key),  # type: ignore[operator]
            variant=rx.cond(S.step == item.key, "soft", "ghost"),
            aria_current=rx.cond(S.step == item.key, "step", "false"),
            high_contrast=True,
            size="3",
            width="100%",
            justify_content="flex-start",
            text_align="left",
            height="auto",
            min_height="40px",
            padding_y="0.4rem",
            style={"margin": "0", "whiteSpace": "normal"},
        ),
        list_style="none",
    )


_SR = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "whiteSpace": "nowrap",
}


def _checklist() -> rx.Component:
    return rx.card(
        rx.el.nav(
            rx.heading(t("onboarding.checklist"), as_="h2", size="4", margin_bottom="0.5rem"),
            rx.el.ol(rx.foreach(S.steps, _step_item), padding="0", margin="0"),
            aria_label=t("onboarding.checklist"),
            id="onboarding-checklist",
        ),
        width="100%",
    )


def _field_error(name: str) -> rx.Component:
    return rx.cond(
        V.errors_nl.contains(name),
        rx.text(
            by_lang(V.errors_en.get(name, ""), V.errors_nl.get(name, "")),
            id=f"{name}-error",
            color_scheme="red",
            size="2",
            weight="medium",
        ),
    )


def _details_field(label_key: str, name: str, value: Any, **props: Any) -> rx.Component:
    return rx.vstack(
        field(
            label_key,
            name,
            text_input(
                name,
                default_value=value,
                aria_invalid=rx.cond(V.errors_nl.contains(name), "true", "false"),
                aria_describedby=f"{name}-error",
                **props,
            ),
        ),
        _field_error(name),
        spacing="1",
        width="100%",
    )


def _details() -> rx.Component:
    d: Any = S.details
    return section(
        "onboarding.details.title",
        rx.text(t("onboarding.details.help"), size="2", color_scheme="gray"),
        rx.el.form(
            rx.grid(
                _details_field("onboarding.details.name", "name", d.name, required=True, max_length=200),
                _details_field(
                    "onboarding.details.brin_code",
                    "brin_code",
                    d.brin_code,
                    placeholder="12AB",
                    max_length=10,
                ),
                _details_field("onboarding.details.street_address", "street_address", d.street_address),
                _details_field(
                    "onboarding.details.postal_code", "postal_code", d.postal_code, placeholder="1234 AB"
                ),
                _details_field("onboarding.details.city", "city", d.city),
                _details_field(
                    "onboarding.details.invoice_email", "invoice_email", d.invoice_email, type="email"
                ),
                _details_field(
                    "onboarding.details.kvk_number", "kvk_number", d.kvk_number, placeholder="12345678"
                ),
                _details_field(
                    "onboarding.details.vat_number", "vat_number", d.vat_number, placeholder="NL123456789B01"
                ),
                columns={"initial": "1", "sm": "2"},
                gap="0.75rem",
                width="100%",
            ),
            submit("onboarding.details.save", margin_top="1rem"),
            on_submit=S.save_details,
            key=S.form_key,
            width="100%",
        ),
        id="onboarding-details",
    )


def _agreement() -> rx.Component:
    return section(
        "onboarding.agreement.title",
        rx.text(t("agreement.intro")),
        rx.text(
            t("onboarding.agreement.version"), " ", rx.el.strong(S.version_in_force, id="agreement-version")
        ),
        download_link("agreement.download", AGREEMENT_PATH, id="agreement-download", max_width="100%"),
        rx.link(t("onboarding.agreement.read"), href="/privacy", is_external=True, size="2"),
        rx.cond(
            S.accepted_version != "",
            callout_stack(
                rx.text(t("onboarding.agreement.accepted_on"), " ", S.accepted_at),
                rx.text(t("onboarding.agreement.version"), " ", S.accepted_version, size="2"),
                icon="circle_check",
                color="green",
                id="agreement-accepted",
            ),
        ),
        rx.el.form(
            rx.vstack(
                rx.el.label(
                    rx.hstack(
                        checkbox_input("accept"),
                        rx.text(t("onboarding.agreement.checkbox")),
                        spacing="2",
                        align="start",
                    ),
                ),
                submit("onboarding.agreement.submit"),
                spacing="3",
            ),
            on_submit=S.accept_agreement,
            key=S.form_key,
            width="100%",
        ),
        id="onboarding-agreement",
    )


def _invited(row: rx.Var) -> rx.Component:
    person: Any = row
    return rx.el.li(
        rx.text(person.name, weight="bold"),
        email_text(person.email),
        role_badge(person.role),
        " ",
        invitation_badge(person.status),
        padding_y="0.5rem",
        border_bottom="1px solid var(--gray-a4)",
        list_style="none",
    )


def _colleagues() -> rx.Component:
    return section(
        "onboarding.colleagues.title",
        rx.text(t("onboarding.colleagues.help"), size="2", color_scheme="gray"),
        invite_form(S.invite, stack={"max_width": "520px"}),
        rx.cond(
            S.invited.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(rx.foreach(S.invited, _invited), padding="0", margin="0", width="100%", id="invited"),
        ),
        rx.link(t("onboarding.colleagues.more"), href=INVITATIONS_PATH),
        id="onboarding-colleagues",
    )


def _roster() -> rx.Component:
    return section(
        "onboarding.roster.title",
        rx.text(t("onboarding.roster.help")),
        rx.flex(
            link_button("onboarding.roster.import", IMPORT_PATH),
            link_button("onboarding.roster.by_hand", "/school/classes", variant="outline"),
            gap="0.75rem",
            wrap="wrap",
        ),
        id="onboarding-roster",
    )


def _done() -> rx.Component:
    return section(
        "onboarding.done.title",
        rx.cond(
            S.finished,
            rx.text(t("onboarding.done.finished")),
            rx.cond(S.can_finish, rx.text(t("onboarding.done.ready")), rx.text(t("onboarding.done.missing"))),
        ),
        rx.button(
            t("onboarding.done.submit"),
            on_click=S.finish,
            disabled=~S.can_finish,
            high_contrast=True,
            size="3",
        ),
        id="onboarding-done",
    )


def onboarding_page() -> rx.Component:
    granted = page_column(
        "onboarding.title",
        rx.text(t("onboarding.intro"), color_scheme="gray"),
        notice_view(S.step_notice),
        rx.grid(
            _checklist(),
            rx.box(
                rx.match(
                    S.step,
                    ("details", _details()),
                    ("agreement", _agreement()),
                    ("colleagues", _colleagues()),
                    ("roster", _roster()),
                    _done(),
                ),
                width="100%",
                min_width="0",
            ),
            columns={"initial": "1", "md": "290px 1fr"},
            gap="1rem",
            width="100%",
            align="start",
        ),
    )
    return access_page(S.access, granted, title_key="onboarding.title", prefix="manage")
