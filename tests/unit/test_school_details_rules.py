"""The details step's field rules: what a school admin types and what is kept or refused."""

from __future__ import annotations

import pytest

from ogp_app.services.onboarding import SchoolDetails, SchoolDetailsInvalid, validate

GOOD = SchoolDetails(
    name="  Basisschool   De Vlinder ",
    brin_code=" 12ab ",
    street_address="Kerkstraat 1",
    postal_code="1234ab",
    city="Utrecht",
    invoice_email="Administratie@Vlinder.example",
)


def test_clean_details_are_normalised() -> None:
    clean = validate(GOOD)
    assert clean.name == "Basisschool De Vlinder"
    assert clean.brin_code == "12AB"
    assert clean.postal_code == "1234 AB"
    assert clean.invoice_email == "administratie@vlinder.example"
    assert clean.kvk_number == "" and clean.vat_number == ""


@pytest.mark.parametrize("brin", ["1234", "ABCD", "12A", "12ABC", "1 2AB", "12ÄB", "", "12-AB"])
def test_brin_code_must_be_two_digits_and_two_letters(brin: str) -> None:
    with pytest.raises(SchoolDetailsInvalid) as caught:
        validate(SchoolDetails(**{**GOOD.__dict__, "brin_code": brin}))
    assert caught.value.errors == {"brin_code": "onboarding.error.brin_code"}


@pytest.mark.parametrize("postal", ["0123 AB", "123 AB", "1234 A", "1234-AB", "AB 1234", ""])
def test_postal_code_is_dutch(postal: str) -> None:
    with pytest.raises(SchoolDetailsInvalid) as caught:
        validate(SchoolDetails(**{**GOOD.__dict__, "postal_code": postal}))
    assert list(caught.value.errors) == ["postal_code"]


def test_optional_kvk_and_vat_are_checked_when_given() -> None:
    clean = validate(
        SchoolDetails(**{**GOOD.__dict__, "kvk_number": "1234 5678", "vat_number": "nl123456789b01"})
    )
    assert (clean.kvk_number, clean.vat_number) == ("12345678", "NL123456789B01")
    with pytest.raises(SchoolDetailsInvalid) as caught:
        validate(SchoolDetails(**{**GOOD.__dict__, "kvk_number": "1234567", "vat_number": "NL123456789X01"}))
    assert list(caught.value.errors) == ["kvk_number", "vat_number"]


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(SchoolDetailsInvalid) as caught:
        validate(
            SchoolDetails(
                name="", brin_code="x", street_address="", postal_code="", city="", invoice_email="no"
            )
        )
    assert list(caught.value.errors) == [
        "name",
        "brin_code",
        "street_address",
        "postal_code",
        "city",
        "invoice_email",
    ]
