"""Secrets at rest: encrypted, bound to a purpose, readable only with the same OGP_SECRET_KEY."""

from __future__ import annotations

import secrets

import pytest

from ogp_app.core.settings import get_settings
from ogp_app.services.auth.crypto import (
    PURPOSE_OIDC_CLIENT_SECRET,
    PURPOSE_TOTP,
    SecretUnreadable,
    decrypt_secret,
    encrypt_secret,
)


def test_round_trip_and_ciphertext_hides_the_plaintext() -> None:
    plaintext = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    first = encrypt_secret(plaintext, purpose=PURPOSE_TOTP)
    second = encrypt_secret(plaintext, purpose=PURPOSE_TOTP)
    assert plaintext not in first and first != second  # randomised: equal secrets do not look equal
    assert decrypt_secret(first, purpose=PURPOSE_TOTP) == plaintext
    assert decrypt_secret(second, purpose=PURPOSE_TOTP) == plaintext


def test_another_purpose_cannot_decrypt() -> None:
    ciphertext = encrypt_secret("client-secret", purpose=PURPOSE_OIDC_CLIENT_SECRET)
    with pytest.raises(SecretUnreadable):
        decrypt_secret(ciphertext, purpose=PURPOSE_TOTP)


def test_another_secret_key_cannot_decrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    ciphertext = encrypt_secret("client-secret", purpose=PURPOSE_OIDC_CLIENT_SECRET)
    monkeypatch.setenv("OGP_SECRET_KEY", secrets.token_urlsafe(48))
    get_settings.cache_clear()
    try:
        with pytest.raises(SecretUnreadable):
            decrypt_secret(ciphertext, purpose=PURPOSE_OIDC_CLIENT_SECRET)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert decrypt_secret(ciphertext, purpose=PURPOSE_OIDC_CLIENT_SECRET) == "client-secret"


def test_tampered_ciphertext_is_refused() -> None:
    ciphertext = encrypt_secret("client-secret", purpose=PURPOSE_OIDC_CLIENT_SECRET)
    tampered = ciphertext[:-6] + ("A" if ciphertext[-6] != "A" else "B") + ciphertext[-5:]
    with pytest.raises(SecretUnreadable):
        decrypt_secret(tampered, purpose=PURPOSE_OIDC_CLIENT_SECRET)
