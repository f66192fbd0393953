"""Purging a school removes its customer at Stripe (here: localstripe, through the official SDK)."""

from __future__ import annotations

import pytest
import stripe

from ogp_app.core.db import unscoped
from ogp_app.integrations.stripe_gateway import gateway_from_settings
from ogp_app.models import Subscription
from ogp_app.services.billing.subscriptions import customer_billing
from ogp_app.services.privacy.erasure import purge_school
from tests.support.billing import UseStripe, billed_school
from tests.support.factories import Factory
from tests.support.stripe_servers import LocalStripe


def test_purging_a_school_deletes_its_stripe_customer(
    factory: Factory, localstripe: LocalStripe, use_stripe: UseStripe
) -> None:
    use_stripe(localstripe.base_url)
    school = billed_school(factory)
    assert school.id is not None
    customer_id = gateway_from_settings().ensure_customer(billing=customer_billing(school), customer_id=None)
    factory._save(Subscription(school_id=school.id, stripe_customer_id=customer_id))
    client = localstripe.client()
    assert client.v1.customers.retrieve(customer_id).id == customer_id
    with unscoped() as db:
        purge_school(db, school_id=school.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.retrieve(customer_id)
