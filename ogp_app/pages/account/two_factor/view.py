"""The view of /account/two-factor (its state and handlers: state.py)."""

from __future__ import annotations

import reflex as rx

from ogp_app.components.forms import auth_page, field, submit
from ogp_app.components.settings_forms import form_stack
from ogp_app.components.text import t
from ogp_app.pages.account.two_factor.state import TwoFactorSetupState


def _enrol() -> rx.Component:
    return rx.vstack(
        rx.cond(
            TwoFactorSetupState.must_enrol_second_factor,
            rx.callout(
                t("setup2fa.required"), icon="shield", role="status", width="100%", high_contrast=True
            ),
        ),
        rx.text(t("setup2fa.step1")),
        rx.box(
            rx.image(
                src=TwoFactorSetupState.qr_data_uri,
                alt=t("setup2fa.qr_alt"),
                width="200px",
                height="200px",
            ),
            background="white",
            padding="0.5rem",
            border_radius="8px",
        ),
        rx.text(t("setup2fa.manual")),
        rx.code(
            TwoFactorSetupState.secret,
            id="two-factor-secret",
            size="3",
            variant="outline",
            high_contrast=True,
            overflow_wrap="anywhere",
        ),
        rx.text(t("setup2fa.step2")),
        form_stack(
            field(
                "setup2fa.code",
                "code",
                field_id="setup-code",
                autocomplete="one-time-code",
                max_length=64,
                input_mode="numeric",
            ),
            submit("setup2fa.submit", width="100%"),
            on_submit=TwoFactorSetupState.confirm,
            element=rx.form,
            reset_on_submit=True,
        ),
        spacing="3",
        width="100%",
    )


def _codes() -> rx.Component:
    return rx.vstack(
        rx.callout(t("setup2fa.done"), icon="circle_check", role="status", width="100%", high_contrast=True),
        rx.text(t("setup2fa.codes")),
        rx.el.ul(
            rx.foreach(
                TwoFactorSetupState.recovery_codes,
                lambda code: rx.el.li(rx.code(code, size="3", variant="outline", high_contrast=True)),
            ),
            aria_label=t("setup2fa.codes_label"),
            id="recovery-codes",
            padding_left="1.2rem",
        ),
        rx.link(rx.button(t("setup2fa.continue"), size="3", high_contrast=True), href="/app"),
        spacing="3",
        width="100%",
    )


def account_two_factor_page() -> rx.Component:
    return auth_page(
        "setup2fa.title",
        TwoFactorSetupState,
        rx.cond(
            TwoFactorSetupState.recovery_codes.length() > 0,  # type: ignore[attr-defined]
            _codes(),
            rx.cond(
                TwoFactorSetupState.enrolled,
                rx.vstack(
                    rx.text(t("setup2fa.already")),
                    rx.link(t("confirm_email.to_app"), href="/app"),
                    spacing="3",
                ),
                rx.cond(TwoFactorSetupState.signed_in, _enrol()),
            ),
        ),
    )
