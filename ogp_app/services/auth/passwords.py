"""Password hashing (argon2id) and the password policy.

The policy follows NIST SP 800-63B: a minimum length, a block list of common passwords and no
composition rules (they push people towards predictable patterns such as ``Welkom2024!``).
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ogp_app.services.errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 takes any length; the cap keeps hashing a request body cheap
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "common_passwords.txt"

# argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1; Password Storage Cheat Sheet):
# about 40 ms on these 2-core machines, so a burst of log-ins cannot exhaust memory or CPU.
# Raise the numbers later and stored hashes are upgraded at the next successful log-in.
_hasher = PasswordHasher(memory_cost=19456, time_cost=2, parallelism=1)


class WeakPassword(DomainError):
    message_key = "accounts.password.too_short"


class PasswordMatch(NamedTuple):
    ok: bool
    new_hash: str | None  # set when the stored hash used older parameters: store it


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    """A hash nobody knows the password of: verified for unknown accounts so timing reveals nothing."""
    return _hasher.hash(secrets.token_urlsafe(32))


def verify_password(password: str, password_hash: str | None) -> PasswordMatch:
    """Constant-time check (argon2 compares in constant time); accounts without a hash never match."""
    if not isinstance(password, str) or len(password) > MAX_LENGTH:
        password = ""
    try:
        _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return PasswordMatch(False, None)
    if password_hash is None:
        return PasswordMatch(False, None)
    new_hash = _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None
    return PasswordMatch(True, new_hash)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def check_password_policy(password: str, *, email: str, name: str) -> None:
    """Raise WeakPassword (with the reason as message key) unless the password is acceptable."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise WeakPassword(message_key="accounts.password.too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(message_key="accounts.password.too_long")
    folded = password.strip().casefold()
    if folded in common_passwords():
        raise WeakPassword(message_key="accounts.password.common")
    email = email.strip().casefold()
    personal = {email, email.split("@", 1)[0], name.strip().casefold()}
    if folded in personal:
        raise WeakPassword(message_key="accounts.password.personal")
