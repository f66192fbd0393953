"""The view of /privacy/me (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import or_empty, scroll_table
from ogp_app.components.layout import own_page, page_column, page_frame, page_title
from ogp_app.components.settings_forms import link_button, section
from ogp_app.components.text import both, t
from ogp_app.pages.account.privacy_me.deletion import _delete_account, _download, _school
from ogp_app.pages.account.privacy_me.state import PrivacyCentreState
from ogp_app.pages.shared.access_lines import access_table
from ogp_app.state.base import AppState

S = PrivacyCentreState


def _table(
    headers: list[str], rows: Any, cells: Any, empty_key: str | None = None, id: str = ""
) -> rx.Component:
    wrapped = scroll_table(
        headers,
        rows,
        lambda row: rx.table.row(*(rx.table.cell(c) for c in cells(row))),
        variant="surface",
        size="1",
        id=id,
    )
    if empty_key is None:
        return wrapped
    return or_empty(rows, wrapped, empty_key, color_scheme="gray")


def _yes_no(flag: Any) -> rx.Component:
    return rx.cond(flag, t("privacy.me.yes"), t("privacy.me.no"))


def _account() -> rx.Component:
    def item(key: str, value: Any) -> rx.Component:
        return rx.data_list.item(
            rx.data_list.label(t(key)), rx.data_list.value(value, word_break="break-all")
        )

    return section(
        "privacy.me.account.title",
        rx.data_list.root(
            item("privacy.me.account.name", S.account_name),
            item("privacy.me.account.email", S.account_email),
            item(
                "privacy.me.account.language", rx.cond(S.account_language == "en", t("lang.en"), t("lang.nl"))
            ),
            item("privacy.me.account.created", S.account_created),
            item("privacy.me.account.password", _yes_no(S.has_password)),
            item("privacy.me.account.two_factor", _yes_no(S.two_factor)),
        ),
        rx.text(t("privacy.me.account.edit"), size="2"),
        link_button("privacy.me.account.edit_link", "/account", variant="outline"),
        _table(
            ["privacy.me.col.school", "privacy.me.col.role"],
            S.memberships,
            lambda r: [r.first, both(r)],
            id="privacy-memberships",
        ),
        id="privacy-account",
    )


def _children() -> rx.Component:
    return section(
        "privacy.me.children.title",
        rx.text(t("privacy.me.children.help"), size="2"),
        _table(
            ["privacy.me.col.name", "privacy.me.col.class", "privacy.me.col.changed_by"],
            S.children,
            lambda r: [r.first, r.second, r.nl],
            "privacy.me.children.none",
            id="privacy-children",
        ),
        rx.cond(
            S.roster.length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                rx.heading(t("privacy.me.roster.title"), as_="h3", size="3"),
                _table(
                    ["privacy.me.col.school", "privacy.me.col.name", "privacy.me.col.email"],
                    S.roster,
                    lambda r: [r.first, r.second, r.nl],
                ),
                width="100%",
            ),
        ),
        id="privacy-children-section",
    )


def _history() -> rx.Component:
    return rx.fragment(
        section(
            "privacy.me.mail.title",
            _table(
                ["privacy.me.col.date", "privacy.me.col.subject", "privacy.me.col.status"],
                S.mails,
                lambda r: [r.first, r.second, both(r)],
                "privacy.me.mail.none",
            ),
            id="privacy-mail",
        ),
        section(
            "privacy.me.logins.title",
            _table(
                ["privacy.me.col.date", "privacy.me.col.event"],
                S.events,
                lambda r: [r.first, both(r)],
                "privacy.me.logins.none",
            ),
            id="privacy-logins",
        ),
        rx.cond(
            S.disclosures.length() > 0,  # type: ignore[attr-defined]
            section(
                "privacy.me.disclosures.title",
                rx.text(t("privacy.me.disclosures.help"), size="2"),
                _table(
                    ["privacy.me.col.date", "privacy.me.col.authority", "privacy.me.col.scope"],
                    S.disclosures,
                    lambda r: [r.first, r.second, r.nl],
                    id="privacy-disclosures",
                ),
                id="privacy-disclosures-section",
            ),
        ),
        section(
            "consent.me.title",
            _table(
                ["privacy.me.col.date", "consent.me.col.version", "consent.me.col.document"],
                S.consents,
                lambda r: [r.first, r.second, both(r)],
                "consent.me.none",
                id="privacy-consents",
            ),
            rx.link(t("consent.history.link"), href="/privacy/history"),
            id="privacy-consents-section",
        ),
        section(
            "access_log.me.title",
            rx.text(t("access_log.me.help"), size="2"),
            or_empty(
                S.staff_access,
                access_table(S.staff_access, with_school=True),
                "access_log.me.none",
                color_scheme="gray",
            ),
            id="privacy-staff-access",
        ),
        section(
            "privacy.me.all.title",
            rx.text(t("privacy.me.all.help"), size="2"),
            _table(
                ["privacy.me.col.kind", "privacy.me.col.rows"],
                S.kinds,
                lambda r: [both(r), r.second],
                id="privacy-kinds",
            ),
            id="privacy-all",
        ),
    )


DROP_COOKIE = "/api/auth/drop-dead-cookie"


def _deleted() -> rx.Component:
    return rx.vstack(
        page_title("privacy.me.deleted.title"),
        rx.text(t("privacy.me.deleted.body")),
        link_button("privacy.me.deleted.home", "/"),
        rx.el.img(src=DROP_COOKIE, alt="", width="1", height="1", style={"position": "absolute"}),
        spacing="3",
        id="privacy-deleted",
    )


def privacy_centre_page() -> rx.Component:
    signed_in = page_column(
        "privacy.me.title",
        rx.text(t("privacy.me.intro")),
        _download(),
        _account(),
        _children(),
        _history(),
        rx.cond(AppState.is_school_admin, _school()),
        _delete_account(),
    )
    return page_frame(
        rx.cond(
            S.account_deleted,
            _deleted(),
            own_page(
                S.loaded, signed_in, title_key="privacy.me.title", signed_out_key="privacy.me.signed_out"
            ),
        )
    )
