"""The /privacy/me panels that take data away: download, delete the account, delete the school."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import field, form_stack, link_button, section, text_input
from ogp_app.components.text import t
from ogp_app.pages.account.privacy_me.state import PrivacyCentreState
from ogp_app.state.base import AppState

S = PrivacyCentreState


def _download() -> rx.Component:
    return section(
        "privacy.me.download.title",
        rx.text(t("privacy.me.download.help")),
        rx.button(
            rx.icon("download", size=18),
            t("privacy.me.download.button"),
            on_click=S.download_mine,
            high_contrast=True,
            size="3",
        ),
        notice_view(S.download_notice),
        id="privacy-download",
    )


def _proof(prefix: str, send_code: Any, code_sent: Any) -> rx.Component:
    """The same proof for deleting an account or a school: the password again, or an e-mailed code."""
    return rx.cond(
        S.has_password,
        field(
            "privacy.me.delete.password",
            f"{prefix}_password",
            text_input(
                f"{prefix}_password", type="password", required=True, auto_complete="current-password"
            ),
        ),
        rx.vstack(
            rx.text(t("privacy.me.delete.no_password"), size="2"),
            rx.button(
                t("privacy.me.delete.send_code"),
                type="button",
                on_click=send_code,
                variant="outline",
                high_contrast=True,
                size="3",
            ),
            rx.cond(
                code_sent,
                field(
                    "privacy.me.delete.code",
                    f"{prefix}_code",
                    text_input(
                        f"{prefix}_code", required=True, auto_complete="one-time-code", input_mode="numeric"
                    ),
                ),
            ),
            width="100%",
        ),
    )


def _delete_account() -> rx.Component:
    proof = _proof("delete", S.send_delete_code, S.code_sent)
    return section(
        "privacy.me.delete.title",
        rx.text(t("privacy.me.delete.removed")),
        rx.text(t("privacy.me.delete.kept")),
        rx.text(t("privacy.me.delete.final"), weight="bold"),
        form_stack(
            proof,
            rx.cond(
                S.has_password | S.code_sent,
                confirm_dialog(
                    rx.button(t("privacy.me.delete.button"), type="button", color_scheme="red", size="3"),
                    title_key="confirm.delete_account.title",
                    body=rx.fragment(
                        rx.text(t("confirm.delete_account.body")),
                        rx.text(t("privacy.me.delete.final"), weight="bold"),
                    ),
                    confirm_key="confirm.delete_account.action",
                    form_id="delete-account-form",
                ),
            ),
            on_submit=S.delete_account,
            reset_on_submit=True,
            id="delete-account-form",
        ),
        notice_view(S.delete_notice),
        id="privacy-delete",
    )


def _school() -> rx.Component:
    frozen = rx.vstack(
        rx.box(notice_view(S.frozen_notice), id="school-frozen", width="100%"),
        rx.button(t("privacy.me.school.undo"), on_click=S.undo_school_delete, high_contrast=True, size="3"),
        width="100%",
    )
    proof = _proof("school", S.send_school_code, S.school_code_sent)
    confirm = form_stack(
        proof,
        rx.hstack(
            rx.cond(
                S.has_password | S.school_code_sent,
                confirm_dialog(
                    rx.button(
                        t("privacy.me.school.delete_confirm"), type="button", color_scheme="red", size="3"
                    ),
                    title_key="confirm.delete_school.title",
                    body=rx.fragment(
                        rx.text(AppState.school_name, weight="bold"),
                        rx.text(t("confirm.delete_school.body")),
                    ),
                    confirm_key="confirm.delete_school.action",
                    form_id="delete-school-form",
                ),
            ),
            rx.button(
                t("privacy.me.school.cancel"),
                type="button",
                on_click=S.cancel_school_delete,
                variant="outline",
                size="3",
            ),
            wrap="wrap",
            spacing="3",
        ),
        on_submit=S.delete_school,
        reset_on_submit=True,
        id="delete-school-form",
    )
    live = rx.vstack(
        rx.text(t("privacy.me.school.delete_help")),
        rx.cond(
            S.confirm_school_delete,
            confirm,
            rx.button(
                t("privacy.me.school.delete_button"),
                on_click=S.ask_school_delete,
                color_scheme="red",
                variant="outline",
                size="3",
            ),
        ),
        width="100%",
    )
    return section(
        "privacy.me.school.title",
        rx.text(t("privacy.me.school.export_help")),
        link_button("access_log.link", "/school/access-log", variant="outline"),
        rx.button(
            rx.icon("download", size=18),
            t("privacy.me.school.export_button"),
            on_click=S.download_school,
            variant="outline",
            high_contrast=True,
            size="3",
        ),
        rx.cond(S.school_frozen, frozen, live),
        notice_view(S.school_notice),
        id="privacy-school",
    )
