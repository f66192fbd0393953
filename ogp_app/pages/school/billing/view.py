"""The view of /school/billing (its state and handlers: state.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ogp_app.components.blocks import column, or_empty, scroll_table, two_columns
from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.layout import page_column
from ogp_app.components.notice import notice_view
from ogp_app.components.school_parts import access_page
from ogp_app.components.settings_forms import section
from ogp_app.components.text import t
from ogp_app.pages.school.billing.state import BillingState
from ogp_app.services import billing
from ogp_app.state.base import AppState

S = BillingState


def _item(label_key: str, value: Any, item_id: str | None = None) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(t(label_key)), rx.data_list.value(value, id=item_id))


def _data_list(*items: rx.Component) -> rx.Component:
    return rx.data_list.root(*items, orientation={"initial": "vertical", "sm": "horizontal"})


def _status() -> rx.Component:
    labels = [(s, t(f"billing.status.{s}")) for s in ("trialing", "active", "past_due", "unpaid", "canceled")]
    return rx.badge(
        rx.match(S.status, *labels, t("billing.status.trial_ended")),
        color_scheme=rx.match(S.status, ("active", "green"), ("trialing", "blue"), "red"),
        size="2",
        high_contrast=True,
        id="billing-status",
    )


def _plan() -> rx.Component:
    return section(
        "billing.plan.title",
        _data_list(
            _item("billing.plan.status", _status()),
            _item("billing.plan.name", t("billing.plan.yearly")),
            rx.cond(
                S.status == "trialing", _item("billing.plan.trial_left", S.trial_days_left, "trial-left")
            ),
            rx.cond(S.status == "trialing", _item("billing.plan.trial_ends", S.trial_ends)),
            rx.cond(S.plan_taken, _item("billing.plan.pupils", S.plan_pupils, "plan-pupils")),
            rx.cond(S.plan_taken, _item("billing.plan.excl", S.plan_excl, "plan-excl")),
            rx.cond(S.plan_taken, _item("billing.plan.incl", S.plan_incl, "plan-incl")),
            rx.cond(
                S.plan_taken,
                _item(
                    "billing.plan.method",
                    rx.match(
                        S.method,
                        ("send_invoice", t("billing.method.send_invoice")),
                        t("billing.method.charge_automatically"),
                    ),
                ),
            ),
            rx.cond(S.next_invoice != "", _item("billing.plan.next_invoice", S.next_invoice, "next-invoice")),
        ),
        rx.cond(S.cancel_pending, rx.text(t("billing.plan.cancel_pending"), weight="medium")),
        id="billing-plan",
    )


def _price() -> rx.Component:
    return section(
        "billing.price.title",
        _data_list(
            _item("billing.price.roster_pupils", S.roster_pupils, "roster-pupils"),
            _item("billing.price.per_pupil", S.per_pupil),
            _item("billing.price.minimum", S.minimum),
            _item("billing.price.excl", S.quote_excl, "quote-excl"),
            _item("billing.price.vat_rate", S.vat_rate),
            _item("billing.price.vat", S.quote_vat),
            _item("billing.price.incl", S.quote_incl, "quote-incl"),
        ),
        rx.cond(S.minimum_applies, rx.text(t("billing.price.minimum_applies"), size="2")),
        id="billing-price",
    )


def _button(label_key: str, handler: Any, **props: Any) -> rx.Component:
    return rx.button(t(label_key), on_click=handler, high_contrast=True, size="3", **props)


def _subscribe_button(label_key: str, method: str, how_key: str, **props: Any) -> rx.Component:
    """Taking the plan asks first, with what it costs per year (incl. BTW) and how it is paid."""
    return confirm_dialog(
        rx.button(t(label_key), high_contrast=True, size="3", **props),
        title_key="confirm.subscribe.title",
        body=rx.fragment(
            rx.text(t("confirm.subscribe.pupils"), " ", S.roster_pupils),
            rx.text(
                t("confirm.subscribe.per_year"), " ", S.quote_incl, " ", t("confirm.subscribe.incl"),
                weight="bold", id="confirm-price",
            ),
            rx.text(
                S.quote_excl, " ", t("confirm.subscribe.excl"), ", ", t("confirm.subscribe.vat"), " ",
                S.vat_rate, ": ", S.quote_vat, size="2",
            ),
            rx.text(t(how_key)),
            rx.text(t("confirm.subscribe.term"), size="2"),
        ),
        confirm_key="confirm.subscribe.action",
        on_confirm=S.subscribe(method),  # type: ignore[operator]
        danger=False,
        dialog_id=f"confirm-subscribe-{method}",
    )  # fmt: skip


def _actions() -> rx.Component:
    subscribe = section(
        "billing.subscribe.title",
        rx.text(
            rx.cond(S.stripe_mode, t("billing.subscribe.help_online"), t("billing.subscribe.help_local")),
            size="2",
        ),
        rx.cond(
            S.stripe_mode,
            rx.flex(
                _subscribe_button("billing.subscribe.checkout", "checkout", "confirm.subscribe.how_checkout"),
                _subscribe_button(
                    "billing.subscribe.invoice", "invoice", "confirm.subscribe.how_invoice", variant="outline"
                ),
                gap="3",
                wrap="wrap",
            ),
            _subscribe_button("billing.subscribe.local", "invoice", "confirm.subscribe.how_local"),
        ),
        id="billing-subscribe",
    )
    manage = section(
        "billing.manage.title",
        rx.flex(
            rx.cond(S.has_portal, _button("billing.manage.portal", S.open_portal)),
            rx.cond(
                ~S.cancel_pending,
                confirm_dialog(
                    _button("billing.manage.cancel", None, variant="outline", color_scheme="red"),
                    title_key="confirm.cancel_plan.title",
                    body=rx.fragment(
                        rx.text(t("confirm.cancel_plan.body"), " ", S.next_invoice),
                        rx.text(t("confirm.cancel_plan.after")),
                    ),
                    confirm_key="confirm.cancel_plan.action",
                    on_confirm=S.cancel_plan,
                ),
            ),
            gap="3",
            wrap="wrap",
        ),
        id="billing-manage",
    )
    return rx.cond(
        S.plan_taken & (S.status != "canceled"),
        rx.cond(S.has_portal | ~S.cancel_pending, manage),
        subscribe,
    )


def _invoice_row(row: rx.Var[billing.InvoiceLine]) -> rx.Component:
    line: Any = row
    return rx.table.row(
        rx.table.row_header_cell(line.number),
        rx.table.cell(line.date),
        rx.table.cell(line.excl, white_space="nowrap"),
        rx.table.cell(line.incl, white_space="nowrap"),
        rx.table.cell(_status_text(line)),
        rx.table.cell(_download(line)),
        class_name="invoice-row",
    )


def _download(line: Any) -> rx.Component:
    # A GET form: a plain browser request, so the PDF downloads (Reflex turns every <a> into a
    # client-side route; on_submit=None keeps Reflex from handling the submit).
    return rx.el.form(
        rx.button(t("billing.invoices.download"), type="submit", variant="outline", size="1"),
        action=line.download_url,
        method="get",
        on_submit=None,
    )


def _status_text(line: Any) -> rx.Component:
    statuses = [(s, t(f"billing.invoice_status.{s}")) for s in ("draft", "open", "paid", "void")]
    return rx.match(line.status, *statuses, t("billing.invoice_status.uncollectible"))


def _invoice_card(row: rx.Var[billing.InvoiceLine]) -> rx.Component:
    """Below 768 px: one block per invoice instead of a wide table."""
    line: Any = row
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(line.number, weight="bold"),
                rx.text(line.date, size="2"),
                rx.hstack(rx.text(t("billing.invoices.excl"), size="2"), rx.text(line.excl, size="2")),
                rx.hstack(rx.text(t("billing.invoices.incl"), size="2"), rx.text(line.incl, size="2")),
                rx.text(_status_text(line), size="2"),
                spacing="1",
            ),
            _download(line),
            justify="between",
            align="center",
            gap="3",
        ),
        padding_y="0.6rem",
        border_bottom="1px solid var(--gray-a4)",
        class_name="invoice-card",
    )


NARROW = "@media screen and (max-width: 767px)"


def _invoice_table() -> rx.Component:
    """From 768 px: a table; below, the same invoices as a list (one block each)."""
    return scroll_table(
        [
            "billing.invoices.number",
            "billing.invoices.date",
            "billing.invoices.excl",
            "billing.invoices.incl",
            "billing.invoices.status",
            "billing.invoices.download",
        ],
        S.invoices,
        _invoice_row,
        box={"style": {NARROW: {"display": "none"}}},
    )


def _invoices() -> rx.Component:
    cards = rx.el.ul(
        rx.foreach(S.invoices, _invoice_card),
        style={
            "listStyle": "none",
            "padding": "0",
            "margin": "0",
            "width": "100%",
            "display": "none",
            NARROW: {"display": "block"},
        },
    )
    return section(
        "billing.invoices.title",
        or_empty(S.invoices, rx.fragment(cards, _invoice_table()), "billing.invoices.none"),
        id="billing-invoices",
    )


def billing_page() -> rx.Component:
    granted = page_column(
        "billing.title",
        rx.text(AppState.school_name, size="4", color_scheme="gray"),
        rx.cond(
            S.banner.kind != "",
            rx.box(notice_view(S.banner), id="billing-banner", width="100%"),
        ),
        notice_view(S.message),
        two_columns(column(_plan(), _actions()), column(_price())),
        _invoices(),
    )
    waiting = rx.center(rx.spinner(size="3"), padding="3rem")
    return access_page(S.access, granted, title_key="billing.title", prefix="billing", waiting=waiting)
