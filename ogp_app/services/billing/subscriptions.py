"""Taking, changing and ending a school's plan, in local mode or through the gateway (Stripe).

``db`` is always the school's own session (``school_session(school_id)``); each function commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ogp_app.integrations.stripe_gateway import (
    BillingGateway,
    CustomerBilling,
    GatewayError,
    RemoteSubscription,
    SubscriptionTerms,
)
from ogp_app.models import CollectionMethod, School, Subscription, SubscriptionStatus
from ogp_app.models.base import utcnow
from ogp_app.services.billing.local_invoices import issue_local_invoice
from ogp_app.services.billing.pricing import count_pupils, yearly_price
from ogp_app.services.billing.status import GOOD, subscription_of, trial_end_for
from ogp_app.services.billing.supplier import require_payable_supplier, supplier_ready
from ogp_app.services.errors import DomainError, InvalidInput

METHODS = ("checkout", "invoice")
# Stripe statuses we do not keep as such: incomplete checkouts change nothing yet.
_STRIPE_STATUS = {
    "trialing": SubscriptionStatus.TRIALING.value,
    "active": SubscriptionStatus.ACTIVE.value,
    "past_due": SubscriptionStatus.PAST_DUE.value,
    "unpaid": SubscriptionStatus.UNPAID.value,
    "paused": SubscriptionStatus.UNPAID.value,
    "canceled": SubscriptionStatus.CANCELED.value,
    "incomplete_expired": SubscriptionStatus.CANCELED.value,
}


class BillingDetailsMissing(DomainError):
    message_key = "billing.error.details_missing"


class AlreadySubscribed(DomainError):
    message_key = "billing.error.already_subscribed"


class NotSubscribed(DomainError):
    message_key = "billing.error.not_subscribed"


class PaymentProviderUnavailable(DomainError):
    message_key = "billing.error.provider"


@dataclass(frozen=True)
class SubscribeResult:
    redirect_url: str | None  # Stripe Checkout; None when the plan is already recorded


def start_trial(db: Session, *, school_id: int, now: datetime) -> Subscription:
    """At sign-up: the 30-day trial starts now (caller commits with the rest of the sign-up)."""
    sub = Subscription(school_id=school_id, trial_ends_at=trial_end_for(now), created_at=now, updated_at=now)
    db.add(sub)
    return sub


def subscription_row(db: Session, school: School) -> Subscription:
    """The school's row; a school from before billing gets one trialing from its creation."""
    assert school.id is not None
    sub = subscription_of(db, school_id=school.id)
    if sub is None:
        sub = Subscription(school_id=school.id, trial_ends_at=trial_end_for(school.created_at))
        db.add(sub)
    return sub


def _school(db: Session, school_id: int) -> School:
    school = db.get(School, school_id)
    if school is None:
        raise InvalidInput("unknown school")
    return school


def customer_billing(school: School) -> CustomerBilling:
    """The school's billing data, refused when incomplete: an invoice needs name, address and e-mail."""
    assert school.id is not None
    if not all((school.name, school.invoice_email, school.street_address, school.postal_code, school.city)):
        raise BillingDetailsMissing()
    return CustomerBilling(
        school_id=school.id,
        name=school.name,
        email=school.invoice_email,
        street_address=school.street_address,
        postal_code=school.postal_code,
        city=school.city,
        vat_number=school.vat_number,
    )


def _set_status(sub: Subscription, status: str, now: datetime) -> None:
    if status in GOOD:
        sub.trouble_since = None
    elif sub.status in GOOD or sub.trouble_since is None:
        sub.trouble_since = now
    sub.status = status


def apply_remote(sub: Subscription, remote: RemoteSubscription, *, now: datetime) -> None:
    """Copy Stripe's current view of the subscription onto our row (always the re-read object)."""
    status = _STRIPE_STATUS.get(remote.status)
    if status is not None:
        _set_status(sub, status, now)
    sub.stripe_subscription_id = remote.id
    sub.stripe_customer_id = remote.customer_id or sub.stripe_customer_id
    sub.current_period_start = remote.current_period_start or sub.current_period_start
    sub.current_period_end = remote.current_period_end or sub.current_period_end
    sub.cancel_at_period_end = remote.cancel_at_period_end
    sub.collection_method = (
        remote.collection_method
        if remote.collection_method in {m.value for m in CollectionMethod}
        else sub.collection_method
    )
    if remote.amount_excl_cents:
        sub.amount_excl_cents = remote.amount_excl_cents
    if remote.pupil_count is not None:
        sub.pupil_count = remote.pupil_count
    if remote.status == "trialing" and remote.trial_end:
        sub.trial_ends_at = remote.trial_end
    sub.updated_at = now


def _has_live_plan(sub: Subscription) -> bool:
    """A plan is taken (and not ended) once it has a period; trialing rows have none."""
    return sub.current_period_end is not None and sub.status != SubscriptionStatus.CANCELED.value


def subscribe(
    db: Session,
    *,
    school_id: int,
    method: str,
    gateway: BillingGateway,
    now: datetime,
    success_url: str = "",
    cancel_url: str = "",
) -> SubscribeResult:
    """Take the yearly plan: Stripe Checkout, pay by invoice, or (local mode) record it and invoice it."""
    if method not in METHODS:
        raise InvalidInput("unknown payment method")
    school = _school(db, school_id)
    billing = customer_billing(school)
    sub = subscription_row(db, school)
    if _has_live_plan(sub):
        raise AlreadySubscribed()
    price = yearly_price(count_pupils(db, school_id=school_id))
    trial_left = sub.trial_ends_at if sub.status == "trialing" and sub.trial_ends_at > now else None
    if not gateway.online:
        require_payable_supplier()  # before anything changes: no plan without an invoice that can be paid
        start = trial_left or now
        end = _one_year_after(start)
        sub.current_period_start, sub.current_period_end = start, end
        sub.collection_method = CollectionMethod.SEND_INVOICE.value
        sub.pupil_count, sub.amount_excl_cents = price.pupil_count, price.excl_cents
        sub.cancel_at_period_end = False
        _set_status(sub, SubscriptionStatus.ACTIVE.value, now)
        sub.updated_at = now
        issue_local_invoice(
            db,
            school=school,
            period_start=start,
            period_end=end,
            pupil_count=price.pupil_count,
            amount_excl_cents=price.excl_cents,
            now=now,
        )
        db.commit()
        return SubscribeResult(redirect_url=None)
    try:
        sub.stripe_customer_id = gateway.ensure_customer(billing=billing, customer_id=sub.stripe_customer_id)
        db.commit()  # the webhook finds the school by this customer id
        # Stripe wants a trial end at least two days ahead; a shorter rest of the trial is dropped.
        trial_end = trial_left if trial_left and (trial_left - now).days >= 2 else None
        terms = SubscriptionTerms(
            customer_id=sub.stripe_customer_id,
            school_id=school_id,
            amount_excl_cents=price.excl_cents,
            pupil_count=price.pupil_count,
            trial_end=trial_end,
        )
        if method == "checkout":
            url = gateway.checkout_url(terms=terms, success_url=success_url, cancel_url=cancel_url)
            return SubscribeResult(redirect_url=url)
        remote = gateway.subscribe_by_invoice(terms=terms)
    except GatewayError as error:
        db.rollback()
        raise PaymentProviderUnavailable(str(error)) from error
    apply_remote(sub, remote, now=now)
    db.commit()
    return SubscribeResult(redirect_url=None)


def _one_year_after(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 1, day=28)


def cancel_at_period_end(db: Session, *, school_id: int, gateway: BillingGateway, now: datetime) -> None:
    """Stop the plan when the paid year ends; until then nothing changes."""
    sub = subscription_of(db, school_id=school_id)
    if sub is None or not _has_live_plan(sub):
        raise NotSubscribed()
    if gateway.online and sub.stripe_subscription_id:
        try:
            remote = gateway.cancel_at_period_end(subscription_id=sub.stripe_subscription_id)
        except GatewayError as error:
            raise PaymentProviderUnavailable(str(error)) from error
        apply_remote(sub, remote, now=now)
    else:
        sub.cancel_at_period_end = True
        sub.updated_at = now
    db.commit()


def portal_url(db: Session, *, school_id: int, gateway: BillingGateway, return_url: str) -> str:
    """Stripe's Customer Portal (payment details, invoices) for a school that has a Stripe customer."""
    sub = subscription_of(db, school_id=school_id)
    if not gateway.online or sub is None or not sub.stripe_customer_id:
        raise NotSubscribed()
    try:
        return gateway.portal_url(customer_id=sub.stripe_customer_id, return_url=return_url)
    except GatewayError as error:
        raise PaymentProviderUnavailable(str(error)) from error


def settle_local_period(db: Session, *, school_id: int, now: datetime) -> None:
    """Local mode, when a paid year has passed: end it if cancelled, else renew it with a new invoice."""
    sub = subscription_of(db, school_id=school_id)
    if sub is None or sub.stripe_subscription_id or not _has_live_plan(sub):
        return
    assert sub.current_period_end is not None
    if sub.current_period_end <= now and not sub.cancel_at_period_end and not supplier_ready():
        return  # the renewal's invoice waits for the operator's supplier details (logged at start-up)
    changed = False
    while sub.current_period_end is not None and sub.current_period_end <= now and _has_live_plan(sub):
        if sub.cancel_at_period_end:
            _set_status(sub, SubscriptionStatus.CANCELED.value, sub.current_period_end)
        else:
            start = sub.current_period_end
            price = yearly_price(count_pupils(db, school_id=school_id))
            sub.current_period_start, sub.current_period_end = start, _one_year_after(start)
            sub.pupil_count, sub.amount_excl_cents = price.pupil_count, price.excl_cents
            issue_local_invoice(
                db,
                school=_school(db, school_id),
                period_start=start,
                period_end=sub.current_period_end,
                pupil_count=price.pupil_count,
                amount_excl_cents=price.excl_cents,
                now=now,
            )
        changed = True
    if changed:
        sub.updated_at = utcnow()
        db.commit()
