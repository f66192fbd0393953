"""The school's details step: name, BRIN code, address and invoice details, validated field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from ogp_app.models import School
from ogp_app.services.accounts import InvalidEmail, InvalidName, normalise_email
from ogp_app.services.accounts._common import clean_name
from ogp_app.services.auth.authorization import require_school_admin
from ogp_app.services.errors import DomainError
from ogp_app.services.formats.dutch_numbers import BRIN, KVK, POSTAL_CODE, VAT

FIELDS = (
    "name",
    "brin_code",
    "street_address",
    "postal_code",
    "city",
    "invoice_email",
    "kvk_number",
    "vat_number",
)


class SchoolDetailsInvalid(DomainError):
    """One or more fields are wrong; ``errors`` maps each field to its catalog message key."""

    message_key = "onboarding.error.details"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class SchoolDetails:
    """What the details form shows and saves; empty strings for what is not filled in."""

    name: str = ""
    brin_code: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    invoice_email: str = ""
    kvk_number: str = ""
    vat_number: str = ""

    @property
    def complete(self) -> bool:
        """Every required field is present (KvK and VAT are optional)."""
        required = (self.name, self.brin_code, self.street_address, self.postal_code, self.city)
        return all(required) and bool(self.invoice_email)


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value).upper()


def _line(value: str, max_length: int) -> str | None:
    """One trimmed line of 1..max_length characters, or None."""
    text = " ".join(value.split())
    return text if 1 <= len(text) <= max_length and text.isprintable() else None


def validate(raw: SchoolDetails) -> SchoolDetails:
    """The cleaned details, or SchoolDetailsInvalid naming every wrong field."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    try:
        clean["name"] = clean_name(raw.name, error=InvalidName)
    except DomainError:
        errors["name"] = "onboarding.error.name"
    brin = raw.brin_code.strip().upper()
    if BRIN.fullmatch(brin):
        clean["brin_code"] = brin
    else:
        errors["brin_code"] = "onboarding.error.brin_code"
    for name, limit in (("street_address", 200), ("city", 120)):
        value = _line(raw.__getattribute__(name), limit)
        if value is None:
            errors[name] = f"onboarding.error.{name}"
        else:
            clean[name] = value
    postal = POSTAL_CODE.fullmatch(" ".join(raw.postal_code.upper().split()))
    if postal:
        clean["postal_code"] = f"{postal.group(1)} {postal.group(2)}"
    else:
        errors["postal_code"] = "onboarding.error.postal_code"
    try:
        clean["invoice_email"] = normalise_email(raw.invoice_email)
    except InvalidEmail:
        errors["invoice_email"] = "onboarding.error.invoice_email"
    kvk, vat = _compact(raw.kvk_number), _compact(raw.vat_number)
    if kvk and not KVK.fullmatch(kvk):
        errors["kvk_number"] = "onboarding.error.kvk_number"
    if vat and not VAT.fullmatch(vat):
        errors["vat_number"] = "onboarding.error.vat_number"
    clean["kvk_number"], clean["vat_number"] = kvk, vat
    if errors:
        raise SchoolDetailsInvalid({f: errors[f] for f in FIELDS if f in errors})
    return SchoolDetails(**clean)


def details_of(school: School) -> SchoolDetails:
    return SchoolDetails(
        name=school.name,
        brin_code=school.brin_code or "",
        street_address=school.street_address or "",
        postal_code=school.postal_code or "",
        city=school.city or "",
        invoice_email=school.invoice_email or "",
        kvk_number=school.kvk_number or "",
        vat_number=school.vat_number or "",
    )


def school_details(db: Session, *, school_id: int, admin_user_id: int) -> SchoolDetails:
    """The school's details for its admin. ``db``: ``school_session(school_id)``."""
    return details_of(require_school_admin(db, school_id=school_id, user_id=admin_user_id))


def update_school_details(
    db: Session, *, school_id: int, admin_user_id: int, details: SchoolDetails
) -> SchoolDetails:
    """Validate every field, then save all of them or none. ``db``: ``school_session(school_id)``."""
    school = require_school_admin(db, school_id=school_id, user_id=admin_user_id)
    clean = validate(details)
    school.name = clean.name
    school.brin_code = clean.brin_code
    school.street_address = clean.street_address
    school.postal_code = clean.postal_code
    school.city = clean.city
    school.invoice_email = clean.invoice_email
    school.kvk_number = clean.kvk_number or None
    school.vat_number = clean.vat_number or None
    db.add(school)
    db.commit()
    return details_of(school)
