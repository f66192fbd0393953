"""Fixtures for billing tests: Stripe mode pointed at a local server, localstripe, a billed school."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ogp_app.core.settings import get_settings
from ogp_app.models import School
from ogp_app.models.base import utcnow
from tests.support.factories import Factory
from tests.support.stripe_servers import WEBHOOK_SECRET, LocalStripe, running_localstripe

BILLING = {
    "street_address": "Lindelaan 12",
    "postal_code": "3511 AB",
    "city": "Utrecht",
    "invoice_email": "administratie@delinde.example",
    "kvk_number": "12345678",
    "vat_number": "NL001234567B01",
}

UseStripe = Callable[[str], None]


@pytest.fixture
def use_stripe(monkeypatch: pytest.MonkeyPatch) -> Iterator[UseStripe]:
    """``use_stripe(api_base)``: Stripe mode with test keys, talking to a local server at ``api_base``."""

    def use(api_base: str) -> None:
        monkeypatch.setenv("OGP_STRIPE_SECRET_KEY", "sk_test_ogp")
        monkeypatch.setenv("OGP_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        monkeypatch.setenv("OGP_STRIPE_API_BASE", api_base)
        get_settings.cache_clear()

    yield use
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    with running_localstripe() as server:
        yield server


def billed_school(factory: Factory, pupils: int = 3, **values: object) -> School:
    """A school with complete billing details and ``pupils`` pupils (plus one archived, not billed)."""
    school = factory.school(name=str(values.pop("name", "Basisschool De Linde")), **{**BILLING, **values})
    group = factory.school_class(school)
    for _ in range(pupils):
        factory.pupil(school, group)
    archived = factory.pupil(school, group)
    archived.archived_at = utcnow()
    factory._save(archived)
    return school
