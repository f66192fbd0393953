"""Passwords: argon2id at or above OWASP's minimum, constant-time verify, rehash, and the policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from ogp_app.services.auth.passwords import (
    MAX_LENGTH,
    WeakPassword,
    check_password_policy,
    common_passwords,
    hash_password,
    verify_password,
)

GOOD = "paard-batterij-nietje-correct"


def test_hash_is_argon2id_with_owasp_parameters_and_salted() -> None:
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first.startswith("$argon2id$")
    params = dict(p.split("=") for p in first.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2 and int(params["p"]) >= 1
    assert first != second  # random salt
    assert GOOD not in first


def test_verify_accepts_the_password_and_refuses_anything_else() -> None:
    stored = hash_password(GOOD)
    assert verify_password(GOOD, stored) == (True, None)
    for wrong in ("", GOOD.upper(), GOOD + " ", "x" * (MAX_LENGTH + 1)):
        assert verify_password(wrong, stored).ok is False


def test_account_without_password_or_with_a_broken_hash_never_matches() -> None:
    assert verify_password("", None).ok is False
    assert verify_password(GOOD, None).ok is False
    assert verify_password(GOOD, "not-a-hash").ok is False


def test_hash_with_old_parameters_is_upgraded_on_successful_verify() -> None:
    old = PasswordHasher.from_parameters(CHEAPEST).hash(GOOD)
    ok, new_hash = verify_password(GOOD, old)
    assert ok and new_hash is not None and new_hash != old
    assert verify_password(GOOD, new_hash) == (True, None)
    assert verify_password("wrong-password-here", old) == (False, None)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort-wachtw", "too_short"),  # 11 characters
        ("x" * (MAX_LENGTH + 1), "too_long"),
        ("wachtwoord123", "common"),
        ("WachtWoord123", "common"),  # case does not help
        ("Welkom123456", "common"),
        ("qwertyuiop123", "common"),
        ("123456789012", "common"),
        ("anna.de.vries@example.org", "personal"),
        ("Anna.De.Vries@Example.org", "personal"),
        ("anna.de.vries", "personal"),  # the e-mail's local part
        ("Anna de Vries-Bakker", "personal"),
    ],
)
def test_policy_refuses_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword) as caught:
        check_password_policy(password, email="anna.de.vries@example.org", name="anna de vries-bakker")
    assert caught.value.message_key == f"accounts.password.{reason}"


@pytest.mark.parametrize(
    "password",
    [
        "twaalf tekens",  # length alone: no digits, capitals or symbols demanded
        "correcthorsebatterystaple-nl",
        "Ñandú en één kameel",
        "x" * MAX_LENGTH,
    ],
)
def test_policy_accepts_long_passwords_without_composition_rules(password: str) -> None:
    check_password_policy(password, email="anna@example.org", name="Anna")


def test_common_list_has_hundreds_of_long_entries_including_dutch() -> None:
    words = common_passwords()
    assert len(words) >= 300
    assert all(len(w) >= 12 and w == w.casefold() for w in words)
    assert {"wachtwoord123", "welkom123456", "password1234"} <= words
