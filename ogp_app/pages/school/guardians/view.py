"""The view of /school/guardians (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import email_text
from ogp_app.components.roster_ui import detail, option_view, roster_form, roster_page, value_field
from ogp_app.components.settings_forms import field, select_box
from ogp_app.components.text import by_lang, t
from ogp_app.pages.school.guardians.state import GuardiansState

S = GuardiansState


def _details(row: Any) -> list[rx.Component]:
    """What a guardian's card says under the name (``row`` is a roster_admin.GuardianRow)."""
    return [
        email_text(row.email),
        detail("manage.guardian.household", row.household),
        detail("manage.guardian.pupils", rx.cond(row.pupils != "", row.pupils, "—")),
        detail("manage.guardian.account", rx.cond(row.has_account, t("manage.yes"), t("manage.no"))),
        rx.cond(
            row.language != "",
            detail(
                "households.guardian.language",
                by_lang(row.language_en, row.language_nl),
            ),
        ),
    ]


def _form() -> rx.Component:
    values: Any = S.edit_values
    return roster_form(
        S,
        value_field("manage.guardian.name", "name", values, required=True, max_length=200),
        value_field("manage.guardian.email", "email", values, type="email", required=True, max_length=254),
        field(
            "manage.guardian.household",
            "household_id",
            select_box(
                "household_id",
                rx.el.option(t("manage.guardian.new_household"), value=""),
                rx.foreach(S.household_options, option_view),
                default_value=values["household_id"],
            ),
            help_key="manage.guardian.household_help",
        ),
        value_field(
            "households.guardian.language",
            "language",
            values,
            max_length=40,
            help_key="households.guardian.language_help",
        ),
        add_key="manage.guardian.add",
        edit_key="manage.guardian.edit",
        id="guardian-form",
        columns={"initial": "1", "sm": "2"},
    )


def guardians_page() -> rx.Component:
    return roster_page(
        S,
        title_key="manage.guardians.title",
        path="/school/guardians",
        form=_form(),
        details=_details,
        none_key="manage.guardians.none",
        list_id="guardian-list",
    )
