"""The view of /privacy (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import card_stack, scroll_table
from ogp_app.components.layout import page_column, page_frame, page_title
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import link_button
from ogp_app.components.text import by_lang, t
from ogp_app.pages.public.privacy.state import (
    HISTORY_PATH,
    PrivacyAcceptState,
    PrivacyHistoryState,
    PrivacyStatementState,
)
from ogp_app.pages.public.privacy.versions import VERSION_COLUMNS, version_row

_SEP = " · "  # between parts of one line; not words, no translation


PRIVACY_PROMISES = [
    "privacy.promise.purpose",
    "privacy.promise.minimal",
    "privacy.promise.no_third_parties",
    "privacy.promise.no_tracking",
    "privacy.promise.security",
    "privacy.promise.your_data",
    "privacy.promise.retention",
]


def built_in_statement() -> rx.Component:
    """Version 1.0, shipped with the app (catalog keys privacy.*); later versions live in the database."""
    return rx.vstack(
        rx.heading(t("privacy.short.title"), as_="h2", size="5"),
        rx.text(t("privacy.short.body")),
        rx.el.ul(
            *[rx.el.li(rx.text(t(k)), margin_bottom="0.5rem") for k in PRIVACY_PROMISES],
            padding_left="1.2rem",
        ),
        rx.text(t("privacy.processor")),
        spacing="3",
        width="100%",
    )


def _body(view: Any) -> rx.Component:
    """The text of a version stored in the database, in the page's language; line breaks kept."""
    v = view
    return rx.text(
        by_lang(v.body_en, v.body_nl),
        white_space="pre-line",
        class_name="statement-body",
    )


def version_line(view: Any) -> rx.Component:
    v = view
    return rx.text(
        t("consent.version"),
        " ",
        v.version,
        rx.cond(v.published != "", rx.fragment(_SEP, t("consent.published_on"), " ", v.published), ""),
        color_scheme="gray",
        size="2",
    )


def statement_text(view: Any, built_in: rx.Component) -> rx.Component:
    """The built-in text (catalog) or the stored one."""
    v = view
    return rx.cond(v.built_in, built_in, _body(view))


def privacy_history_page() -> rx.Component:
    selected: Any = PrivacyHistoryState.selected
    return page_frame(
        page_column(
            "consent.history.title",
            rx.text(t("consent.history.intro")),
            scroll_table(
                VERSION_COLUMNS,
                PrivacyHistoryState.versions,
                version_row,
                variant="surface",
                id="versions",
            ),
            rx.cond(
                PrivacyHistoryState.unknown,
                rx.callout(t("consent.history.unknown"), icon="info", color_scheme="amber", role="status"),
                card_stack(
                    rx.heading(t("consent.version"), " ", selected.version, as_="h2", size="5"),
                    version_line(PrivacyHistoryState.selected),
                    rx.cond(
                        selected.summary_nl != "",
                        rx.vstack(
                            rx.text(t("consent.what_changed"), weight="bold"),
                            rx.text(
                                by_lang(selected.summary_en, selected.summary_nl),
                                white_space="pre-line",
                            ),
                            spacing="1",
                        ),
                    ),
                    statement_text(PrivacyHistoryState.selected, built_in_statement()),
                    id="selected-version",
                ),
            ),
            max_width="760px",
        )
    )


def _logout() -> rx.Component:
    return rx.el.form(
        rx.button(t("app.logout"), type="submit", variant="outline", high_contrast=True, size="3"),
        action="/api/auth/logout",
        method="post",
        on_submit=None,
    )


def privacy_accept_page() -> rx.Component:
    due = page_column(
        "consent.accept.title",
        rx.text(t("consent.accept.intro")),
        notice_view(PrivacyAcceptState.accept_notice),
        card_stack(
            version_line(PrivacyAcceptState.current),
            statement_text(PrivacyAcceptState.current, built_in_statement()),
            id="statement",
        ),
        rx.button(
            t("consent.accept.button"),
            on_click=PrivacyAcceptState.accept,
            size="3",
            high_contrast=True,
            id="accept",
            height="auto",  # the label wraps on a phone: the button grows with it
            min_height="44px",
            padding_y="0.5rem",
            white_space="normal",
        ),
        rx.separator(),
        rx.text(t("consent.accept.leave")),
        rx.flex(
            link_button("consent.accept.to_privacy_centre", "/privacy/me", variant="outline"),
            _logout(),
            gap="0.75rem",
            wrap="wrap",
        ),
        rx.link(t("consent.history.link"), href=HISTORY_PATH),
        max_width="760px",
    )
    nothing = rx.vstack(
        page_title("consent.accept.title"),
        rx.callout(t("consent.accept.nothing"), icon="circle_check", color_scheme="green", role="status"),
        link_button("consent.accept.continue", "/app"),
        spacing="4",
        max_width="760px",
    )
    return page_frame(
        rx.match(
            PrivacyAcceptState.access,
            ("due", due),
            ("nothing", nothing),
            ("anonymous", rx.text(t("consent.accept.sign_in"))),
            rx.fragment(),
        )
    )


def privacy_page() -> rx.Component:
    """The version in force: the built-in text, or the one published last (PrivacyStatementState)."""
    return page_frame(
        rx.vstack(
            page_title("privacy.title"),
            version_line(PrivacyStatementState.current),
            statement_text(PrivacyStatementState.current, built_in_statement()),
            rx.link(t("consent.history.link"), href="/privacy/history", id="history-link"),
            spacing="3",
            max_width="720px",
        )
    )
