"""Small secrets at rest (TOTP seeds, OIDC client secrets, PKCE verifiers, a held roster file), encrypted
with Fernet.

The Fernet key is derived from ``OGP_SECRET_KEY`` with HKDF-SHA256 and a purpose label, so one
installation secret yields an independent key per kind of secret: a ciphertext copied from one column
into another does not decrypt. Changing ``OGP_SECRET_KEY`` makes stored secrets unreadable (re-enter
them); key rotation is not supported yet.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ogp_app.core.settings import get_settings

PURPOSE_TOTP = "totp-secret"
PURPOSE_OIDC_CLIENT_SECRET = "oidc-client-secret"  # noqa: S105 - a label, not a secret
PURPOSE_PKCE_VERIFIER = "oidc-code-verifier"
PURPOSE_ROSTER_FILE = "roster-file"  # an uploaded roster held in Redis between the import's steps


class SecretUnreadable(RuntimeError):
    """A stored secret does not decrypt: wrong key, wrong purpose or tampered ciphertext."""


@lru_cache(maxsize=16)
def _fernet(secret_key: str, purpose: str) -> Fernet:
    hkdf = HKDF(algorithm=SHA256(), length=32, salt=None, info=f"ogp:{purpose}".encode())
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_key.encode())))


def _current(purpose: str) -> Fernet:
    return _fernet(get_settings().secret_key.get_secret_value(), purpose)


def encrypt_secret(plaintext: str, *, purpose: str) -> str:
    """Ciphertext (URL-safe ASCII, authenticated, randomised) for storing ``plaintext``."""
    return _current(purpose).encrypt(plaintext.encode()).decode("ascii")


def decrypt_secret(ciphertext: str, *, purpose: str) -> str:
    try:
        return _current(purpose).decrypt(ciphertext.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SecretUnreadable(f"stored {purpose} does not decrypt") from error


def encrypt_bytes(plaintext: bytes, *, purpose: str) -> bytes:
    return _current(purpose).encrypt(plaintext)


def decrypt_bytes(ciphertext: bytes, *, purpose: str) -> bytes:
    try:
        return _current(purpose).decrypt(ciphertext)
    except InvalidToken as error:
        raise SecretUnreadable(f"stored {purpose} does not decrypt") from error
