"""Page frame: header with navigation, content column, footer with privacy, contact and language."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.settings_forms import link_button
from ogp_app.components.text import by_lang, t
from ogp_app.state.base import AppState


def language_switch() -> rx.Component:
    def choice(code: str) -> rx.Component:
        return rx.button(
            t(f"lang.{code}"),
            on_click=AppState.set_language(code),  # type: ignore[operator]
            variant=rx.cond(AppState.lang == code, "solid", "outline"),
            size="2",
            high_contrast=True,
            aria_pressed=rx.cond(AppState.lang == code, "true", "false"),
            lang=code,
            id=f"lang-{code}",
        )

    return rx.hstack(
        rx.text(t("footer.language"), as_="span", weight="medium"),
        choice("nl"),
        choice("en"),
        spacing="2",
        align="center",
        role="group",
        aria_label=t("footer.language"),
    )


# The one column header, content and footer share: centred, at most 1100 px wide.
COLUMN: dict[str, Any] = {"max_width": "1100px", "margin_x": "auto"}

# Below this width the header links fold into a "Menu" button (a media query: Reflex's responsive
# dicts do not reach the CSS display of these elements).
WIDE = "@media screen and (min-width: 1024px)"


def _nav_link(label_key: str, href: str) -> rx.Component:
    return rx.link(t(label_key), href=href, weight="medium", high_contrast=True, white_space="nowrap")


def _logout_form(**button: object) -> rx.Component:
    # A plain HTML form POST; on_submit=None, else Reflex's submit handler calls preventDefault().
    return rx.el.form(
        rx.button(t("app.logout"), type="submit", variant="outline", high_contrast=True, **button),
        action="/api/auth/logout",
        method="post",
        on_submit=None,
    )


def _signed_in_links() -> list[rx.Component]:
    return [
        _nav_link("nav.my_overview", "/app"),
        rx.cond(AppState.is_parent, _nav_link("nav.book", "/book")),
        rx.cond(AppState.is_teacher, _nav_link("nav.evening", "/teacher/evening")),
        rx.cond(AppState.is_school_admin, _nav_link("nav.rounds", "/school/rounds")),
        rx.cond(AppState.is_school_admin, _nav_link("nav.dashboard", "/school/dashboard")),
        rx.cond(AppState.is_school_admin | AppState.is_teacher, _nav_link("nav.roster", "/school/pupils")),
        rx.cond(AppState.is_school_admin, _nav_link("nav.roster_import", "/school/roster/import")),
        rx.cond(AppState.is_school_admin, _nav_link("nav.billing", "/school/billing")),
        rx.cond(AppState.is_school_admin, _nav_link("nav.school_settings", "/school/settings")),
        rx.cond(AppState.is_staff, _nav_link("nav.staff", "/staff")),
        _nav_link("nav.account", "/account"),
        _nav_link("nav.privacy_me", "/privacy/me"),
    ]


def _wide_nav() -> rx.Component:
    """From 1024 px: the links in a row (wrapping onto a second line for a school admin's many), then
    log out."""
    return rx.hstack(
        *_signed_in_links(),
        _logout_form(size="2"),
        spacing="4",
        align="center",
        justify="end",
        flex_wrap="wrap",
        style={"display": "none", WIDE: {"display": "flex"}},
    )


def _compact_nav() -> rx.Component:
    """Below 1024 px: one "Menu" button opening the same links and log out."""
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.button(rx.icon("menu", size=18), t("nav.menu"), variant="outline", high_contrast=True),
            ),
            rx.popover.content(
                rx.vstack(*_signed_in_links(), rx.separator(), _logout_form(width="100%"), spacing="4"),
                align="end",
                min_width="220px",
                aria_label=t("nav.main"),
            ),
        ),
        style={WIDE: {"display": "none"}},
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(
                rx.hstack(
                    rx.image(src="/logo.svg", alt="", width="32px", height="32px"),
                    # size 2 below 520 px: the name and "Menu" fit side by side on a 360 px phone
                    rx.text(t("app.name"), weight="bold", size={"initial": "2", "xs": "4"}),
                    align="center",
                    spacing="2",
                ),
                href="/",
                underline="none",
                color_scheme="gray",
                high_contrast=True,
                flex_shrink="0",
            ),
            rx.spacer(),
            rx.el.nav(
                rx.cond(
                    AppState.signed_in,
                    rx.fragment(_wide_nav(), _compact_nav()),
                    rx.link(t("nav.login"), href="/login", white_space="nowrap"),
                ),
                aria_label=t("nav.main"),
                min_width="0",  # may shrink below its links' width, so the row of links wraps
            ),
            align="center",
            width="100%",
            **COLUMN,
            padding_x="1rem",
            padding_y="0.75rem",
        ),
        _parent_task(),
        border_bottom="1px solid var(--gray-a5)",
    )


def _parent_task() -> rx.Component:
    """Below 1024 px a parent's task is a button under the header, not behind the menu (on /book the
    page's own heading says it)."""
    return rx.cond(
        AppState.signed_in & AppState.is_parent & (AppState.router.page.path != "/book"),
        rx.box(
            rx.button(
                rx.link(t("nav.book"), href="/book", id="parent-task", underline="none"),
                as_child=True,
                size="3",
                width="100%",
                high_contrast=True,
            ),
            padding_x="1rem",
            padding_bottom="0.75rem",
            style={WIDE: {"display": "none"}},
        ),
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.flex(
            rx.hstack(
                rx.link(t("footer.privacy"), href="/privacy"),
                rx.link(t("footer.contact"), href="/contact"),
                rx.link(t("footer.faq"), href="/faq"),
                rx.link(t("footer.reviews"), href="/reviews"),
                spacing="4",
                wrap="wrap",
            ),
            language_switch(),
            rx.text(t("footer.rights"), size="2", color_scheme="gray"),
            direction={"initial": "column", "md": "row"},
            gap="1rem",
            justify="between",
            align={"initial": "start", "md": "center"},
            wrap="wrap",
            **COLUMN,
            padding="1rem",
        ),
        border_top="1px solid var(--gray-a5)",
        margin_top="3rem",
    )


def _banner(message: Any, color: str, **props: Any) -> rx.Component:
    """A warning above the page's content, announced to screen readers."""
    return rx.callout(
        message,
        icon="triangle_alert",
        color_scheme=color,
        role="alert",
        high_contrast=True,
        width="100%",
        margin_bottom="1rem",
        **props,
    )


def _billing_banner() -> rx.Component:
    """School admins only: payment overdue or plan ended, on every page until it is settled."""
    return rx.cond(
        AppState.billing_notice_nl != "",
        rx.link(
            _banner(
                by_lang(AppState.billing_notice_en, AppState.billing_notice_nl),
                "orange",
            ),
            href="/school/billing",
            id="billing-notice",
            underline="none",
        ),
    )


def _frozen_banner() -> rx.Component:
    """Everyone of a school being deleted: it is read-only until the purge or an admin's undo."""
    return rx.cond(AppState.school_frozen, _banner(t("privacy.frozen.notice"), "amber", id="frozen-banner"))


def _limit_banner() -> rx.Component:
    """The websocket guard stopped this page (too many or too large messages): why, and what to do."""
    return rx.cond(
        AppState.limit_notice_nl != "",
        _banner(
            by_lang(AppState.limit_notice_en, AppState.limit_notice_nl),
            "red",
            id="limit-notice",
        ),
    )


def page_frame(*children: rx.Component) -> rx.Component:
    """Every page: skip-link friendly landmarks, a readable column, works from 375 px up."""
    return rx.box(
        header(),
        rx.el.main(
            rx.box(
                _limit_banner(),
                _billing_banner(),
                _frozen_banner(),
                *children,
                **COLUMN,
                padding_x="1rem",
                padding_y="1.5rem",
            ),
            id="main",
        ),
        footer(),
        lang=AppState.lang,
        min_height="100vh",
    )


def page_title(title_key: str) -> rx.Component:
    """The page's one h1."""
    return rx.heading(t(title_key), as_="h1", size="7")


def page_column(title_key: str, *children: rx.Component, **props: Any) -> rx.Component:
    """A page's content: its title, then its blocks one under the other (``props`` may set spacing,
    max_width, an id)."""
    return rx.vstack(page_title(title_key), *children, **{"spacing": "4", "width": "100%", **props})


def gated_page(title_key: str, denied: Any, denied_key: str, body: rx.Component) -> rx.Component:
    """A page whose title stands over ``body``, or over one sentence when the state ``denied`` the caller."""
    return page_frame(page_column(title_key, rx.cond(denied, rx.text(t(denied_key)), body)))


def own_page(loaded: Any, signed_in: rx.Component, *, title_key: str, signed_out_key: str) -> rx.Component:
    """A signed-in user's own page once its state ``loaded``; for a visitor, its title and a log-in link
    (nothing while a signed-in user's data is on its way)."""
    signed_out = rx.vstack(
        page_title(title_key), rx.text(t(signed_out_key)), link_button("nav.login", "/login"), spacing="3"
    )
    return rx.cond(loaded, signed_in, rx.cond(AppState.signed_in, rx.fragment(), signed_out))
