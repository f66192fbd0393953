"""Billing: the yearly plan per school (Stripe or local mode), invoices, webhooks and the access rules.

Every function takes the school's own session (``school_session(school_id)``) unless it says otherwise;
the webhook handler opens its own sessions.
"""

from ogp_app.services.billing.access import (
    BillingBanner,
    BillingRestricted,
    billing_banner,
    require_may_open_rounds,
    school_may_open_rounds,
)
from ogp_app.services.billing.overview import BillingOverview, InvoiceLine, billing_overview
from ogp_app.services.billing.pricing import Price, count_pupils, euros, yearly_price
from ogp_app.services.billing.status import Standing, standing
from ogp_app.services.billing.subscriptions import (
    AlreadySubscribed,
    BillingDetailsMissing,
    NotSubscribed,
    PaymentProviderUnavailable,
    SubscribeResult,
    cancel_at_period_end,
    portal_url,
    start_trial,
    subscribe,
)
from ogp_app.services.billing.webhooks import handle_event

__all__ = [
    "AlreadySubscribed",
    "BillingBanner",
    "BillingDetailsMissing",
    "BillingOverview",
    "BillingRestricted",
    "InvoiceLine",
    "NotSubscribed",
    "PaymentProviderUnavailable",
    "Price",
    "Standing",
    "SubscribeResult",
    "billing_banner",
    "billing_overview",
    "cancel_at_period_end",
    "count_pupils",
    "euros",
    "handle_event",
    "portal_url",
    "require_may_open_rounds",
    "school_may_open_rounds",
    "standing",
    "start_trial",
    "subscribe",
    "yearly_price",
]
