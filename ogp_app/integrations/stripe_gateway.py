"""The billing gateway: Stripe through its official SDK, or the local stand-in when no keys are set.

Only :class:`CustomerBilling` (the school's billing data) ever goes into a Stripe customer: never a pupil,
guardian or user. Stripe objects are read through ``to_dict()`` into small dataclasses, tolerant of the
API versions that moved ``current_period_end`` onto subscription items and ``subscription`` onto an
invoice's ``parent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import stripe

from ogp_app.core.settings import Settings, get_settings

PRODUCT_ID = "ogp_yearly_subscription"
PAYMENT_METHODS = ["card", "ideal", "sepa_debit"]
DAYS_UNTIL_DUE = 30
TAX_RATE_MARKER = "ogp_btw"


class GatewayError(RuntimeError):
    """Stripe refused or could not be reached."""


@dataclass(frozen=True)
class CustomerBilling:
    """Everything Stripe may know about a school (privacy statement: billing data only)."""

    school_id: int
    name: str
    email: str | None
    street_address: str | None
    postal_code: str | None
    city: str | None
    vat_number: str | None


@dataclass(frozen=True)
class SubscriptionTerms:
    """What a new yearly subscription is: whose, its price excl. BTW for how many pupils, any trial."""

    customer_id: str
    school_id: int
    amount_excl_cents: int
    pupil_count: int
    trial_end: datetime | None


@dataclass(frozen=True)
class RemoteSubscription:
    id: str
    customer_id: str
    status: str
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    collection_method: str
    amount_excl_cents: int
    pupil_count: int | None
    trial_end: datetime | None


@dataclass(frozen=True)
class RemoteInvoice:
    id: str
    number: str | None
    status: str
    customer_id: str
    subscription_id: str | None
    created: datetime
    period_start: datetime
    period_end: datetime
    due_date: datetime | None
    paid_at: datetime | None
    amount_excl_cents: int
    vat_cents: int
    amount_incl_cents: int
    pdf_url: str | None


class BillingGateway(Protocol):
    """What billing needs from a payment provider. ``online`` is False for the local stand-in."""

    online: bool

    def ensure_customer(self, *, billing: CustomerBilling, customer_id: str | None) -> str: ...

    def checkout_url(self, *, terms: SubscriptionTerms, success_url: str, cancel_url: str) -> str: ...

    def subscribe_by_invoice(self, *, terms: SubscriptionTerms) -> RemoteSubscription: ...

    def portal_url(self, *, customer_id: str, return_url: str) -> str: ...

    def cancel_at_period_end(self, *, subscription_id: str) -> RemoteSubscription: ...

    def subscription(self, subscription_id: str) -> RemoteSubscription: ...

    def invoice(self, invoice_id: str) -> RemoteInvoice: ...

    def delete_customer(self, customer_id: str) -> None: ...


class LocalGateway:
    """No Stripe keys: billing lives in our own tables (services branch on ``online``)."""

    online = False

    def _refuse(self) -> GatewayError:
        return GatewayError("billing runs locally: there is no payment provider")

    def ensure_customer(self, *, billing: CustomerBilling, customer_id: str | None) -> str:
        raise self._refuse()

    def checkout_url(self, **_: Any) -> str:
        raise self._refuse()

    def subscribe_by_invoice(self, **_: Any) -> RemoteSubscription:
        raise self._refuse()

    def portal_url(self, *, customer_id: str, return_url: str) -> str:
        raise self._refuse()

    def cancel_at_period_end(self, *, subscription_id: str) -> RemoteSubscription:
        raise self._refuse()

    def subscription(self, subscription_id: str) -> RemoteSubscription:
        raise self._refuse()

    def invoice(self, invoice_id: str) -> RemoteInvoice:
        raise self._refuse()

    def delete_customer(self, customer_id: str) -> None:
        raise self._refuse()


def _https_url(session: dict[str, Any], what: str) -> str:
    """The page Stripe made for the person to go to; anything but https is refused."""
    url = session.get("url")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise GatewayError(f"stripe: {what} without an https url")
    return url


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int | float) and value else None


def _customer_params(billing: CustomerBilling) -> dict[str, Any]:
    address = {
        "line1": billing.street_address or "",
        "postal_code": billing.postal_code or "",
        "city": billing.city or "",
        "country": "NL",
    }
    params: dict[str, Any] = {"name": billing.name, "address": address, "preferred_locales": ["nl"]}
    if billing.email:
        params["email"] = billing.email
    params["metadata"] = {"ogp_school_id": str(billing.school_id)}
    return params


def remote_subscription(data: dict[str, Any]) -> RemoteSubscription:
    items = ((data.get("items") or {}).get("data")) or [{}]
    item = items[0]
    price = item.get("price") or item.get("plan") or {}
    unit = price.get("unit_amount") if price.get("unit_amount") is not None else price.get("amount")
    metadata = data.get("metadata") or {}
    pupils = metadata.get("pupil_count")
    return RemoteSubscription(
        id=str(data["id"]),
        customer_id=str(data.get("customer") or ""),
        status=str(data.get("status") or ""),
        current_period_start=_ts(data.get("current_period_start") or item.get("current_period_start")),
        current_period_end=_ts(data.get("current_period_end") or item.get("current_period_end")),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        collection_method=str(data.get("collection_method") or "charge_automatically"),
        amount_excl_cents=int(unit or 0) * int(item.get("quantity") or 1),
        pupil_count=int(pupils) if isinstance(pupils, str) and pupils.isdigit() else None,
        trial_end=_ts(data.get("trial_end")),
    )


def remote_invoice(data: dict[str, Any]) -> RemoteInvoice:
    parent = (data.get("parent") or {}).get("subscription_details") or {}
    subscription = data.get("subscription") or parent.get("subscription")
    total = int(data.get("total") or 0)
    excl = data.get("total_excluding_tax")
    if excl is None:
        excl = data.get("subtotal_excluding_tax", data.get("subtotal", total))
    created = _ts(data.get("created")) or datetime.now(UTC)
    transitions = data.get("status_transitions") or {}
    return RemoteInvoice(
        id=str(data["id"]),
        number=data.get("number"),
        status=str(data.get("status") or "open"),
        customer_id=str(data.get("customer") or ""),
        subscription_id=str(subscription) if subscription else None,
        created=created,
        period_start=_ts(data.get("period_start")) or created,
        period_end=_ts(data.get("period_end")) or created,
        due_date=_ts(data.get("due_date")),
        paid_at=_ts(transitions.get("paid_at")),
        amount_excl_cents=int(excl),
        vat_cents=total - int(excl),
        amount_incl_cents=total,
        pdf_url=data.get("invoice_pdf") or data.get("hosted_invoice_url"),
    )


class StripeGateway:
    """Stripe through ``stripe.StripeClient`` (its address can point at a local test server)."""

    online = True

    def __init__(self, client: stripe.StripeClient, *, vat_percent: int) -> None:
        self.client = client
        self.vat_percent = vat_percent

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            result = fn(*args, **kwargs)
        except stripe.StripeError as error:
            raise GatewayError(
                f"stripe: {error.__class__.__name__}: {error.user_message or error}"
            ) from error
        return result.to_dict() if hasattr(result, "to_dict") else dict(result)

    def ensure_customer(self, *, billing: CustomerBilling, customer_id: str | None) -> str:
        params = _customer_params(billing)
        if customer_id:
            self._call(self.client.v1.customers.update, customer_id, params)
            return customer_id
        if billing.vat_number:
            params["tax_id_data"] = [{"type": "eu_vat", "value": billing.vat_number}]
        return str(self._call(self.client.v1.customers.create, params)["id"])

    def _product(self) -> str:
        try:
            self.client.v1.products.retrieve(PRODUCT_ID)
        except stripe.InvalidRequestError:
            self._call(
                self.client.v1.products.create,
                {"id": PRODUCT_ID, "name": "Oudergesprekplanner — jaarabonnement"},
            )
        return PRODUCT_ID

    def _tax_rate(self) -> str:
        """Our BTW rate object (exclusive: prices are shown and charged excl. BTW plus 21 %)."""
        rates = self._call(self.client.v1.tax_rates.list, {"active": True, "limit": 100})
        for rate in rates.get("data") or []:
            if (rate.get("metadata") or {}).get(TAX_RATE_MARKER) == str(self.vat_percent):
                return str(rate["id"])
        created = self._call(
            self.client.v1.tax_rates.create,
            {
                "display_name": "BTW",
                "percentage": self.vat_percent,
                "inclusive": False,
                "country": "NL",
                "jurisdiction": "NL",
                "metadata": {TAX_RATE_MARKER: str(self.vat_percent)},
            },
        )
        return str(created["id"])

    def _price_data(self, amount_excl_cents: int) -> dict[str, Any]:
        return {
            "currency": "eur",
            "product": self._product(),
            "unit_amount": amount_excl_cents,
            "recurring": {"interval": "year"},
        }

    @staticmethod
    def _subscription_data(terms: SubscriptionTerms) -> dict[str, Any]:
        """The school and pupil count (the webhook reads them back), and the trial's end if any."""
        data: dict[str, Any] = {
            "metadata": {"ogp_school_id": str(terms.school_id), "pupil_count": str(terms.pupil_count)}
        }
        if terms.trial_end is not None:
            data["trial_end"] = int(terms.trial_end.timestamp())
        return data

    def checkout_url(self, *, terms: SubscriptionTerms, success_url: str, cancel_url: str) -> str:
        params = {
            "mode": "subscription",
            "customer": terms.customer_id,
            "client_reference_id": str(terms.school_id),
            "payment_method_types": PAYMENT_METHODS,
            "line_items": [
                {
                    "price_data": self._price_data(terms.amount_excl_cents),
                    "quantity": 1,
                    "tax_rates": [self._tax_rate()],
                }
            ],
            "tax_id_collection": {"enabled": True},
            "customer_update": {"name": "auto", "address": "auto"},
            "subscription_data": self._subscription_data(terms),
            "locale": "nl",
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        return _https_url(self._call(self.client.v1.checkout.sessions.create, params), "checkout session")

    def subscribe_by_invoice(self, *, terms: SubscriptionTerms) -> RemoteSubscription:
        params: dict[str, Any] = {
            "customer": terms.customer_id,
            "collection_method": "send_invoice",
            "days_until_due": DAYS_UNTIL_DUE,
            "items": [{"price_data": self._price_data(terms.amount_excl_cents), "quantity": 1}],
            "default_tax_rates": [self._tax_rate()],
            **self._subscription_data(terms),
        }
        return remote_subscription(self._call(self.client.v1.subscriptions.create, params))

    def portal_url(self, *, customer_id: str, return_url: str) -> str:
        session = self._call(
            self.client.v1.billing_portal.sessions.create,
            {"customer": customer_id, "return_url": return_url, "locale": "nl"},
        )
        return _https_url(session, "portal session")

    def cancel_at_period_end(self, *, subscription_id: str) -> RemoteSubscription:
        data = self._call(
            self.client.v1.subscriptions.update, subscription_id, {"cancel_at_period_end": True}
        )
        return remote_subscription(data)

    def subscription(self, subscription_id: str) -> RemoteSubscription:
        return remote_subscription(self._call(self.client.v1.subscriptions.retrieve, subscription_id))

    def invoice(self, invoice_id: str) -> RemoteInvoice:
        return remote_invoice(self._call(self.client.v1.invoices.retrieve, invoice_id))

    def delete_customer(self, customer_id: str) -> None:
        """Deleting the customer also cancels its subscriptions at Stripe."""
        self._call(self.client.v1.customers.delete, customer_id)


def stripe_client(settings: Settings, http_client: Any = None) -> stripe.StripeClient:
    assert settings.stripe_secret_key is not None
    kwargs: dict[str, Any] = {"max_network_retries": 2}
    if settings.stripe_api_base:
        kwargs["base_addresses"] = {"api": settings.stripe_api_base}
    if http_client is not None:
        kwargs["http_client"] = http_client
    return stripe.StripeClient(settings.stripe_secret_key.get_secret_value(), **kwargs)


def gateway_from_settings(settings: Settings | None = None, http_client: Any = None) -> BillingGateway:
    """Stripe when both keys are set, else the local stand-in (``make run``)."""
    settings = settings or get_settings()
    if not settings.stripe_enabled:
        return LocalGateway()
    return StripeGateway(stripe_client(settings, http_client), vat_percent=settings.billing_vat_percent)
