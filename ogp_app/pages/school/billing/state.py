"""/school/billing: the school admin's plan, price, invoices, subscribe / pay by invoice, portal, cancel.

Everyone else sees "no access" and receives nothing. The school comes from the server-side session only;
the handlers call ogp_app.services.billing and hold display strings, never table objects.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.core.settings import get_settings
from ogp_app.integrations.stripe_gateway import gateway_from_settings
from ogp_app.models.base import utcnow
from ogp_app.pages.shared.gated import GatedPageState
from ogp_app.services import billing
from ogp_app.services.billing.pricing import euros
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Call
from ogp_app.state.base import AppState

PAGE_PATH = "/school/billing"


class BillingState(GatedPageState, AppState):
    """Only filled for the school admin of the session's school; for anyone else nothing of the school's
    billing stays in the state (and so in the browser)."""

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

    @rx.event
    async def load_billing(self) -> None:
        """on_load: the billing overview for the school's admin; "no access" for anyone else."""
        with self._handled(deny=self._deny):
            self._load(await self._call(SCHOOL_ADMIN, _overview))
            self.message = NO_NOTICE

    @rx.event
    async def subscribe(self, method: str) -> EventSpec | None:
        """Take the yearly plan: "checkout" (Stripe Checkout, or recorded at once locally) or "invoice"."""
        with self._handled(notice="message"):  # refused action: wipe whatever the page showed, flag nothing
            done = await self._call(SCHOOL_ADMIN, lambda call: _subscribe(call, method))
            if isinstance(done, str):
                return rx.redirect(done)
            self._load(done)
            self.message = notice("billing.subscribe.done")
        return None

    @rx.event
    async def open_portal(self) -> EventSpec | None:
        """To Stripe's Customer Portal (payment details), back to this page afterwards."""
        with self._handled(notice="message"):  # refused action: wipe whatever the page showed, flag nothing
            return rx.redirect(await self._call(SCHOOL_ADMIN, _portal_url))
        return None

    @rx.event
    async def cancel_plan(self) -> None:
        """Cancel at the end of the paid period."""
        with self._handled(notice="message"):  # refused action: wipe whatever the page showed, flag nothing
            self._load(await self._call(SCHOOL_ADMIN, _cancel))
            self.message = notice("billing.manage.cancelled")


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
