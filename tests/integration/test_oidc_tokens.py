"""ID token validation on real tokens from a real provider, and on forged ones."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from ogp_app.integrations import oidc

CLIENT_ID = "ogp-test"
REDIRECT_URI = "http://localhost:3000/api/auth/oidc/callback"
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    users = [ProviderUser(sub="t1", claims={"email": "juf@school.example", "email_verified": True})]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def real(issuer: str) -> tuple[str, oidc.ProviderMetadata, KeySet]:
    """One ID token issued by the provider through the real code flow."""
    meta = oidc.discover(issuer, allow_http=True, allow_private=True)
    verifier = "v" * 50
    url = oidc.authorization_url(
        meta, client_id=CLIENT_ID, redirect_uri=REDIRECT_URI, state="st", nonce=NONCE, code_verifier=verifier
    )
    callback = httpx.post(url, data={"sub": "t1"}).headers["location"]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    id_token = oidc.exchange_code(
        meta,
        client_id=CLIENT_ID,
        client_secret="x",
        redirect_uri=REDIRECT_URI,
        code=code,
        code_verifier=verifier,
    )
    return id_token, meta, oidc.fetch_keys(meta)


def _validate(real: tuple[str, oidc.ProviderMetadata, KeySet], **overrides: Any) -> dict[str, Any]:
    id_token, meta, keys = real
    id_token = overrides.pop("id_token", id_token)
    values: dict[str, Any] = dict(
        keys=keys, algorithms=meta.algorithms, issuer=meta.issuer, client_id=CLIENT_ID, nonce=NONCE
    )
    values.update(overrides)
    return oidc.validate_id_token(id_token, **values)


def test_real_token_is_accepted(real: tuple[str, oidc.ProviderMetadata, KeySet]) -> None:
    claims = _validate(real)
    assert claims["sub"] == "t1" and claims["email"] == "juf@school.example" and claims["nonce"] == NONCE


@pytest.mark.parametrize(
    "overrides",
    [
        {"issuer": "http://127.0.0.1:1"},  # the configured issuer differs from the token's
        {"client_id": "someone-else"},  # token was minted for another client
        {"nonce": "another-attempt"},  # token belongs to another login attempt
        {"keys": KeySet([RSAKey.generate_key(2048)])},  # not signed by this provider
        {"algorithms": ("ES256",)},  # an algorithm the provider does not use
    ],
)
def test_real_token_refused_when_anything_is_off(
    real: tuple[str, oidc.ProviderMetadata, KeySet], overrides: dict[str, Any]
) -> None:
    with pytest.raises(oidc.OidcProtocolError):
        _validate(real, **overrides)


def test_expired_token_is_refused(real: tuple[str, oidc.ProviderMetadata, KeySet]) -> None:
    exp = jwt.decode(real[0], real[2]).claims["exp"]
    _validate(real, now=exp + oidc.LEEWAY_SECONDS - 1)
    with pytest.raises(oidc.OidcProtocolError):
        _validate(real, now=exp + oidc.LEEWAY_SECONDS + 1)


def _claims(issuer: str, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": issuer,
        "aud": CLIENT_ID,
        "sub": "t1",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        **extra,
    }


def test_forged_tokens_are_refused(real: tuple[str, oidc.ProviderMetadata, KeySet], issuer: str) -> None:
    attacker = RSAKey.generate_key(2048)
    forged = [
        jwt.encode({"alg": "RS256"}, _claims(issuer), attacker),  # right claims, wrong key
        jwt.encode({"alg": "HS256"}, _claims(issuer), OctKey.import_key("x" * 32)),  # symmetric trick
        ".".join(real[0].split(".")[:2]) + ".",  # signature stripped
    ]
    for token in forged:
        with pytest.raises(oidc.OidcProtocolError):
            _validate(real, id_token=token)


def test_several_audiences_need_azp_naming_us(real: tuple[str, oidc.ProviderMetadata, KeySet]) -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    keys = KeySet([key])
    issuer = real[1].issuer
    both = _claims(issuer, aud=[CLIENT_ID, "other"])
    with pytest.raises(oidc.OidcProtocolError):
        _validate(real, id_token=jwt.encode({"alg": "RS256", "kid": "k1"}, both, key), keys=keys)
    ok = jwt.encode({"alg": "RS256", "kid": "k1"}, {**both, "azp": CLIENT_ID}, key)
    assert _validate(real, id_token=ok, keys=keys)["azp"] == CLIENT_ID
    assert not (set(oidc.SAFE_ALGORITHMS) & {"none", "HS256"})


def test_discovery_refuses_plain_http_unless_allowed(issuer: str) -> None:
    with pytest.raises(oidc.OidcProtocolError):
        oidc.discover(issuer, allow_http=False)
    with pytest.raises(oidc.OidcProtocolError):
        oidc.discover(issuer + "/", allow_http=True, allow_private=True)  # the issuer must match exactly
    with pytest.raises(oidc.OidcProtocolError):
        oidc.discover("http://localhost:1", allow_http=True, allow_private=True)  # nobody there
    with pytest.raises(oidc.OidcProtocolError, match="non-public address"):
        oidc.discover(issuer, allow_http=True)  # the provider on localhost is an internal address
