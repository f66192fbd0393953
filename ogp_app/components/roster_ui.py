"""Pieces of the roster pages and the onboarding wizard: tabs, search bar, row cards, no access."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components import school_parts
from ogp_app.components.forms import submit
from ogp_app.components.layout import page_column, page_frame
from ogp_app.components.notice import notice_view
from ogp_app.components.settings_forms import input_field
from ogp_app.components.text import t

ROSTER_TABS = [
    ("manage.tab.classes", "/school/classes"),
    ("manage.tab.pupils", "/school/pupils"),
    ("manage.tab.guardians", "/school/guardians"),
    ("manage.tab.teachers", "/school/teachers"),
]
# The roster import and invitations live on their own pages (built alongside).
ADMIN_LINKS = [
    ("manage.tab.import", "/school/roster/import"),
    ("manage.tab.invitations", "/school/roster/invitations"),
]


def roster_tabs(current: str, is_admin: Any) -> rx.Component:
    """Links between the roster pages; the current one is marked for screen readers too."""

    def tab(label_key: str, href: str) -> rx.Component:
        here = href == current
        return rx.link(
            t(label_key),
            href=href,
            weight="bold" if here else "medium",
            underline="always" if here else "hover",
            high_contrast=True,
            aria_current="page" if here else None,
            white_space="nowrap",
        )

    teacher_tabs = [tab(k, h) for k, h in ROSTER_TABS if h in ("/school/pupils", "/school/guardians")]
    return rx.el.nav(
        rx.flex(
            rx.cond(
                is_admin,
                rx.fragment(*[tab(k, h) for k, h in ROSTER_TABS + ADMIN_LINKS]),
                rx.fragment(*teacher_tabs),
            ),
            gap="1.25rem",
            wrap="wrap",
        ),
        aria_label=t("manage.tabs"),
        padding_bottom="0.5rem",
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
    )


def search_bar(on_submit: Any, query: Any, is_admin: Any, *extra: rx.Component) -> rx.Component:
    """Search words, optional filters, and (admins) "show archived"."""
    return rx.el.form(
        rx.flex(
            rx.box(
                rx.el.label(t("manage.search"), html_for="q", font_weight="500"),
                rx.input(id="q", name="q", type="search", default_value=query, max_length=100, size="3"),
                flex="1 1 220px",
            ),
            *extra,
            rx.cond(
                is_admin,
                rx.el.label(
                    rx.hstack(
                        checkbox_input("archived"),
                        rx.text(t("manage.show_archived")),
                        spacing="2",
                        align="center",
                    ),
                ),
            ),
            submit("manage.search_button"),
            gap="0.75rem",
            align="end",
            wrap="wrap",
        ),
        on_submit=on_submit,
        role="search",
        width="100%",
    )


def row_card(title: Any, *details: rx.Component, actions: rx.Component | None = None) -> rx.Component:
    """One row of a roster list: a card on a phone, a line on a wide screen."""
    return rx.el.li(
        rx.flex(
            rx.vstack(rx.text(title, weight="bold"), *details, spacing="1", min_width="0", flex="1 1 240px"),
            actions or rx.fragment(),
            gap="0.75rem",
            align="center",
            justify="between",
            wrap="wrap",
        ),
        padding="0.75rem",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
        list_style="none",
        class_name="roster-row",
    )


def detail(label_key: str, value: Any) -> rx.Component:
    return rx.text(
        rx.el.span(t(label_key), ": ", font_weight="500"), value, size="2", word_break="break-word"
    )


def row_list(rows: Any, render: Any, empty_key: str, list_id: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.el.ul(
            rx.foreach(rows, render),
            id=list_id,
            style={"display": "grid", "gap": "0.5rem", "padding": "0", "margin": "0", "width": "100%"},
        ),
        rx.text(t(empty_key), color_scheme="gray", id=f"{list_id}-empty"),
    )


def no_access(title_key: str) -> rx.Component:
    """The roster pages' refusal (admins, and teachers for their own classes, may look)."""
    return school_parts.no_access(title_key, "manage")


def form_card(add_key: str, edit_key: str, editing: Any, form: rx.Component, *, id: str) -> rx.Component:
    """The add/edit form of a roster page: folded away (the list comes first on a phone) until it is
    opened, or until a row's "edit" opens it; titled by what it does now."""
    return rx.card(
        rx.el.details(
            rx.el.summary(
                rx.heading(rx.cond(editing, t(edit_key), t(add_key)), as_="h2", size="5", display="inline"),
                cursor="pointer",
            ),
            rx.box(form, padding_top="0.75rem", width="100%"),
            open=editing,
            id=id,
        ),
        width="100%",
    )


def roster_form(
    state: Any,
    *fields: rx.Component,
    add_key: str,
    edit_key: str,
    id: str,
    columns: str | dict[str, str],
    below: tuple[rx.Component, ...] = (),
) -> rx.Component:
    """The add/edit form of the pupils, guardians and teachers pages: a grid of fields (then ``below``),
    save and cancel; ``state.save`` takes it, ``state.form_key`` redraws it with the row being edited."""
    form = rx.el.form(
        rx.grid(*fields, columns=columns, gap="0.75rem", width="100%"),
        *below,
        rx.box(form_buttons(state.editing > 0, state.new), margin_top="1rem"),
        on_submit=state.save,
        key=state.form_key,
        width="100%",
    )
    return form_card(add_key, edit_key, state.editing > 0, form, id=id)


def value_field(
    label_key: str, name: str, values: Any, *, help_key: str | None = None, **input_props: Any
) -> rx.Component:
    """A labelled text input of a roster form, holding the edited row's ``values[name]``."""
    return input_field(label_key, name, default_value=values[name], help_key=help_key, **input_props)


def form_buttons(editing: Any, on_cancel: Any) -> rx.Component:
    return rx.hstack(
        submit("manage.save"),
        rx.cond(
            editing,
            rx.button(t("manage.cancel"), type="button", on_click=on_cancel, variant="outline", size="3"),
        ),
        spacing="2",
    )


def checkbox_input(name: str) -> rx.Component:
    """A native checkbox (inside its label, so the label's text names it for every tool)."""
    return rx.el.input(
        type="checkbox",
        name=name,
        id=name,
        style={"width": "1.25rem", "height": "1.25rem", "accentColor": "var(--accent-9)", "flexShrink": "0"},
    )


def edit_archive_buttons(state: Any, row: Any) -> rx.Component:
    """Edit and archive/restore for one listed row (the handlers check the caller again)."""
    return rx.hstack(
        rx.button(t("manage.edit"), on_click=state.edit(row.id), variant="outline", high_contrast=True),
        rx.button(
            rx.cond(row.archived, t("manage.unarchive"), t("manage.archive")),
            on_click=state.set_archived(row.id, ~row.archived),
            variant="outline",
            color_scheme=rx.cond(row.archived, "jade", "red"),
            high_contrast=True,
        ),
        spacing="2",
    )


def admin_actions(state: Any, row: Any) -> rx.Component:
    """The row's buttons, for admins only: teachers read the roster."""
    return rx.cond(state.access == "admin", edit_archive_buttons(state, row))


def option_view(item: Any) -> rx.Component:
    return rx.el.option(item.label, value=item.value)


def roster_page(
    state: Any,
    *,
    title_key: str,
    path: str,
    form: rx.Component,
    details: Any,
    none_key: str,
    list_id: str,
    filters: tuple[rx.Component, ...] = (),
    teachers_see_it: bool = True,
) -> rx.Component:
    """One roster list page: tabs, message, the admin's form, search, rows; "no access" for the rest.
    Each row is a card with the item's name over ``details(row)`` and, for admins, edit and archive
    (on a page only admins see, without a second check)."""
    actions = admin_actions if teachers_see_it else edit_archive_buttons

    def render_row(item: Any) -> rx.Component:
        return row_card(item.name, *details(item), actions=actions(state, item))

    body = page_column(
        title_key,
        roster_tabs(path, state.access == "admin"),
        notice_view(state.page_notice),
        rx.cond(state.access == "admin", form),
        search_bar(state.search, state.query, state.access == "admin", *filters),
        row_list(state.rows, render_row, none_key, list_id),
    )
    readers = [("admin", body), ("teacher", body)] if teachers_see_it else [("admin", body)]
    return page_frame(rx.match(state.access, *readers, ("denied", no_access(title_key)), rx.fragment()))
