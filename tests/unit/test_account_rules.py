"""Account input rules and messages: every error a service can raise has a text in both languages."""

from __future__ import annotations

import re

import pytest

from ogp_app.core.settings import PROJECT_ROOT
from ogp_app.i18n import LANGUAGES, catalog, translate
from ogp_app.services import accounts
from ogp_app.services.auth.rate_limit import RateLimited

SERVICES = PROJECT_ROOT / "ogp_app" / "services"


def _message_keys_in_services() -> set[str]:
    keys: set[str] = set()
    # The modules that were loose in services/ before they moved into packages, and accounts/.
    loose = ["errors", *(f"{package}/*" for package in ("auth", "staff", "formats", "mail", "development"))]
    loose += ["rounds/booking_retention", "rounds/reviews", "roster_admin/roster_accounts"]
    for path in [
        *(p for name in loose for p in SERVICES.glob(f"{name}.py")),
        *SERVICES.glob("accounts/*.py"),
    ]:
        keys |= set(
            re.findall(r"""["']((?:accounts|error)\.[a-z_]+\.?[a-z_]*)["']""", path.read_text("utf-8"))
        )
    return keys


def test_every_message_key_of_the_account_services_is_in_both_catalogs() -> None:
    keys = _message_keys_in_services()
    assert {"accounts.error.invalid_link", "accounts.error.locked", "accounts.password.common"} <= keys
    for language in LANGUAGES:
        assert sorted(keys - catalog(language).keys()) == [], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_rate_limit_messages_render_the_minutes(language: str) -> None:
    for error in (
        accounts.AccountLocked(61),
        RateLimited(3600),
        RateLimited(5, message_key="accounts.error.too_many_attempts"),
    ):
        text = translate(error.message_key, language, **error.message_values)
        assert re.search(r"\b(2|60|1) (minuten|minutes)\b", text), text


def test_invitation_statuses_have_labels() -> None:
    for status in accounts.InvitationStatus:
        assert translate(f"accounts.invitation.{status.value}", "nl")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Anna@Example.ORG", "anna@example.org"),
        ("  jan.de-vries+school@mail.example.nl ", "jan.de-vries+school@mail.example.nl"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_valid_addresses_are_trimmed_and_lower_cased(raw: str, normalised: str) -> None:
    assert accounts.normalise_email(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "anna",
        "anna@",
        "@example.org",
        "anna@example",
        "anna@@example.org",
        "anna example@example.org",
        "anna@example..org",
        ".anna@example.org",
        "anna.@example.org",
        "anna@-example.org",
        "Anna <anna@example.org>",
        "anna@example.org,bob@example.org",
        "anna@example.org\r\nBcc: bob@example.org",
        "x" * 65 + "@example.org",
        "a@" + "b" * 250 + ".nl",
        None,
        42,
    ],
)
def test_invalid_addresses_are_refused(raw: object) -> None:
    with pytest.raises(accounts.InvalidEmail):
        accounts.normalise_email(raw)
