"""/school/billing: the school admin's plan, price, invoices, subscribe / pay by invoice, portal, cancel.

Everyone else sees "no access" and receives nothing. The school comes from the server-side session only;
the handlers call ogp_app.services.billing and hold display strings, never table objects.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.confirm import confirm_dialog
from ogp_app.components.layout import page_frame
from ogp_app.components.notice import NO_NOTICE, Notice, notice, notice_view
from ogp_app.components.settings_forms import section
from ogp_app.components.text import t
from ogp_app.core.settings import get_settings
from ogp_app.integrations.stripe_gateway import gateway_from_settings
from ogp_app.models import Role
from ogp_app.models.base import utcnow
from ogp_app.services import billing
from ogp_app.services.billing.pricing import euros
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import Access, Call
from ogp_app.state.base import AppState

PAGE_PATH = "/school/billing"
ADMIN = Access((Role.SCHOOL_ADMIN,))


class BillingState(AppState):
    """Only filled for the school admin of the session's school."""

    access: str = ""  # "" before loading, "granted" or "denied"
    stripe_mode: bool = False
    status: str = ""
    plan_taken: bool = False
    trial_days_left: int = 0
    trial_ends: str = ""
    roster_pupils: int = 0
    per_pupil: str = ""
    minimum: str = ""
    minimum_applies: bool = False
    quote_excl: str = ""
    quote_vat: str = ""
    quote_incl: str = ""
    vat_rate: str = ""
    plan_pupils: int = 0
    plan_excl: str = ""
    plan_incl: str = ""
    next_invoice: str = ""
    cancel_pending: bool = False
    method: str = ""
    has_portal: bool = False
    banner: Notice = NO_NOTICE
    invoices: list[billing.InvoiceLine] = []
    message: Notice = NO_NOTICE

    def _load(self, view: billing.BillingOverview) -> None:
        self.access = "granted"
        self.stripe_mode = get_settings().stripe_enabled
        self.status, self.plan_taken = view.status, view.plan_taken
        self.trial_days_left, self.trial_ends = view.trial_days_left, view.trial_ends
        quote = view.quote
        self.roster_pupils = view.roster_pupils
        self.per_pupil, self.minimum = euros(quote.per_pupil_cents), euros(quote.minimum_cents)
        self.minimum_applies = quote.minimum_applies
        self.quote_excl, self.quote_vat = euros(quote.excl_cents), euros(quote.vat_cents)
        self.quote_incl, self.vat_rate = euros(quote.incl_cents), f"{quote.vat_percent} %"
        self.plan_pupils, self.plan_excl, self.plan_incl = view.plan_pupils, view.plan_excl, view.plan_incl
        self.next_invoice, self.cancel_pending = view.next_invoice, view.cancel_at_period_end
        self.method, self.has_portal = view.collection_method, view.has_stripe_customer and self.stripe_mode
        self.banner = (
            notice(view.banner_key, kind="error", days=view.banner_days) if view.banner_key else NO_NOTICE
        )
        self.invoices = view.invoices

    def _deny(self) -> None:
        """No access: nothing of the school's billing stays in the state (and so in the browser)."""
        self.reset()
        self.access = "denied"

    @rx.event
    async def load_billing(self) -> None:
        """on_load: the billing overview for the school's admin; "no access" for anyone else."""
        with self._handled(deny=self._deny):
            self._load(await self._call(ADMIN, _overview))
            self.message = NO_NOTICE

    @rx.event
    async def subscribe(self, method: str) -> EventSpec | None:
        """Take the yearly plan: "checkout" (Stripe Checkout, or recorded at once locally) or "invoice"."""
        with self._handled(notice="message"):  # refused action: wipe whatever the page showed, flag nothing
            done = await self._call(ADMIN, lambda call: _subscribe(call, method))
            if isinstance(done, str):
                return rx.redirect(done)
            self._load(done)
            self.message = notice("billing.subscribe.done")
        return None

    @rx.event
    async def open_portal(self) -> EventSpec | None:
        """To Stripe's Customer Portal (payment details), back to this page afterwards."""
        with self._handled(notice="message"):  # refused action: wipe whatever the page showed, flag nothing
            return rx.redirect(await self._call(ADMIN, _portal_url))
        return None

    @rx.event
    async def cancel_plan(self) -> None:
        """Cancel at the end of the paid period."""
        with self._handled(notice="message"):  # refused action: wipe whatever the page showed, flag nothing
            self._load(await self._call(ADMIN, _cancel))
            self.message = notice("billing.manage.cancelled")


# The blocking work of the handlers (in a worker thread, for the school admin of the session's school).


def _overview(call: Call) -> billing.BillingOverview:
    school_id, roles = call.school_id, call.identity.roles
    return billing.billing_overview(call.db, school_id=school_id, roles=roles, now=utcnow())


def _subscribe(call: Call, method: Any) -> str | billing.BillingOverview:
    """The URL to send the admin to (Stripe Checkout), or the overview once the plan is taken."""
    if not isinstance(method, str) or method not in ("checkout", "invoice"):
        raise InvalidInput("unknown payment method")
    base = get_settings().public_base_url.rstrip("/")
    result = billing.subscribe(
        call.db,
        school_id=call.school_id,
        method=method,
        gateway=gateway_from_settings(),
        now=utcnow(),
        success_url=f"{base}{PAGE_PATH}?checkout=done",
        cancel_url=f"{base}{PAGE_PATH}",
    )
    return result.redirect_url or _overview(call)


def _portal_url(call: Call) -> str:
    return billing.portal_url(
        call.db,
        school_id=call.school_id,
        gateway=gateway_from_settings(),
        return_url=get_settings().public_base_url.rstrip("/") + PAGE_PATH,
    )


def _cancel(call: Call) -> billing.BillingOverview:
    gateway = gateway_from_settings()
    billing.cancel_at_period_end(call.db, school_id=call.school_id, gateway=gateway, now=utcnow())
    return _overview(call)


# --- the page ---------------------------------------------------------------------------------------

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

    def head(key: str) -> rx.Component:
        return rx.table.column_header_cell(t(key))

    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    head("billing.invoices.number"),
                    head("billing.invoices.date"),
                    head("billing.invoices.excl"),
                    head("billing.invoices.incl"),
                    head("billing.invoices.status"),
                    head("billing.invoices.download"),
                )
            ),
            rx.table.body(rx.foreach(S.invoices, _invoice_row)),
            width="100%",
        ),
        overflow_x="auto",
        width="100%",
        style={NARROW: {"display": "none"}},
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
        rx.cond(
            S.invoices.length() > 0,  # type: ignore[attr-defined]
            rx.fragment(cards, _invoice_table()),
            rx.text(t("billing.invoices.none")),
        ),
        id="billing-invoices",
    )


def billing_page() -> rx.Component:
    granted = rx.vstack(
        rx.heading(t("billing.title"), as_="h1", size="7"),
        rx.text(AppState.school_name, size="4", color_scheme="gray"),
        rx.cond(
            S.banner.kind != "",
            rx.box(notice_view(S.banner), id="billing-banner", width="100%"),
        ),
        notice_view(S.message),
        rx.grid(
            rx.vstack(_plan(), _actions(), spacing="4", width="100%"),
            rx.vstack(_price(), spacing="4", width="100%"),
            columns={"initial": "1", "md": "2"},
            gap="1rem",
            width="100%",
            align="start",
        ),
        _invoices(),
        spacing="4",
        width="100%",
    )
    denied = rx.vstack(
        rx.heading(t("billing.title"), as_="h1", size="7"),
        rx.callout(
            rx.vstack(
                rx.text(t("billing.no_access.title"), weight="bold"),
                rx.text(t("billing.no_access.body")),
                spacing="1",
            ),
            icon="lock",
            color_scheme="red",
            high_contrast=True,
            role="alert",
            id="no-access",
        ),
        spacing="4",
        width="100%",
    )
    return page_frame(
        rx.match(
            S.access,
            ("granted", granted),
            ("denied", denied),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
