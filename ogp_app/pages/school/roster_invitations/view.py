"""The view of /school/roster/invitations (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import bare_list, column, job_progress, or_empty, person_line
from ogp_app.components.layout import page_column, page_frame
from ogp_app.components.notice import notice_view
from ogp_app.components.school_parts import invitation_badge, no_access_callout
from ogp_app.components.settings_forms import link_button, section
from ogp_app.components.text import t
from ogp_app.pages.school.roster_invitations.state import PersonView, RosterInvitationsState

DOT, OPEN, CLOSE = " · ", " (", ")"  # separators, not words: nothing to translate


def _person(row: rx.Var[PersonView]) -> rx.Component:
    p: Any = row
    return person_line(
        rx.text(p.name, weight="bold"),
        p.email,
        rx.hstack(
            rx.badge(
                rx.cond(p.kind == "teacher", t("roster.invite.teacher"), t("roster.invite.guardian")),
                variant="outline",
                size="2",
                high_contrast=True,
            ),
            invitation_badge(p.status),
            wrap="wrap",
        ),
        rx.cond(
            p.status != "accepted",
            rx.button(
                rx.cond(p.status == "not_invited", t("roster.invite.send"), t("roster.invite.resend")),
                on_click=RosterInvitationsState.resend(p.key),  # type: ignore[operator]
                variant="outline",
                high_contrast=True,
            ),
        ),
        class_name="roster-person",
    )


def _granted() -> rx.Component:
    s = RosterInvitationsState
    return column(
        notice_view(s.notice),
        section(
            "roster.invite.summary_title",
            rx.text(
                t("accounts.invitation.not_invited"),
                ": ",
                s.not_invited,
                DOT,
                t("accounts.invitation.pending"),
                ": ",
                s.pending,
                DOT,
                t("accounts.invitation.accepted"),
                ": ",
                s.accepted,
                id="invitation-counts",
            ),
            rx.text(t("roster.invite.help"), size="2", color_scheme="gray"),
            job_progress(s.sending, s.progress, "roster.invite.sending"),
            rx.flex(
                rx.button(
                    t("roster.invite.all"),
                    on_click=s.invite_all,
                    disabled=s.sending | (s.not_invited == 0),
                    loading=s.sending,
                    high_contrast=True,
                    size="3",
                ),
                link_button("roster.invite.to_import", "/school/roster/import", variant="outline"),
                spacing="2",
                wrap="wrap",
            ),
            id="invitation-summary",
        ),
        section(
            "roster.invite.people_title",
            rx.cond(
                s.shown_of > s.people.length(),  # type: ignore[attr-defined]
                rx.text(t("roster.invite.first_shown"), size="2", color_scheme="gray"),
            ),
            or_empty(s.people, bare_list(s.people, _person), "roster.invite.nobody"),
            id="invitation-people",
        ),
    )


def roster_invitations_page() -> rx.Component:
    denied = no_access_callout()
    return page_frame(
        page_column(
            "roster.invite.title",
            rx.match(
                RosterInvitationsState.access, ("granted", _granted()), ("denied", denied), rx.fragment()
            ),
        )
    )
