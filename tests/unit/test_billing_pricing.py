"""The price table: per pupil with a minimum, BTW 21 % on top, amounts in Dutch notation."""

from __future__ import annotations

import socket

import pytest

from ogp_app.core.settings import get_settings
from ogp_app.services.billing.pricing import euros, vat_of, yearly_price
from tests.support.network_guard import OutboundConnectionBlocked, is_local


def test_small_school_pays_the_minimum_and_vat_on_top() -> None:
    settings = get_settings()
    price = yearly_price(10)
    assert price.minimum_applies
    assert price.excl_cents == settings.billing_minimum_cents
    assert price.vat_percent == 21
    assert price.vat_cents == round(settings.billing_minimum_cents * 0.21)
    assert price.incl_cents == price.excl_cents + price.vat_cents


def test_large_school_pays_per_pupil() -> None:
    per_pupil = get_settings().billing_price_per_pupil_cents
    price = yearly_price(500)
    assert not price.minimum_applies
    assert price.excl_cents == 500 * per_pupil
    assert price.incl_cents == 500 * per_pupil + vat_of(500 * per_pupil, 21)


def test_vat_rounds_half_up_to_the_cent() -> None:
    assert vat_of(250, 21) == 53  # 52.5 -> 53
    assert vat_of(100, 21) == 21


def test_dutch_money_notation() -> None:
    assert euros(123456) == "€ 1.234,56"
    assert euros(5) == "€ 0,05"


def test_the_network_guard_refuses_other_hosts_and_allows_this_machine() -> None:
    assert is_local(("127.0.0.1", 80)) and is_local(("::1", 80, 0, 0)) and is_local(("localhost", 1))
    assert is_local("/run/some.sock")
    assert not is_local(("93.184.216.34", 443))
    with socket.socket() as sock, pytest.raises(OutboundConnectionBlocked):
        sock.connect(("93.184.216.34", 443))
