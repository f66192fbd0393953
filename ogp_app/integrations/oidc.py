"""OpenID Connect client pieces: discovery, authorization URL, code exchange, ID token validation.

Built on Authlib's httpx OAuth2Client (authorization URL with PKCE S256, token request) and joserfc
(signature and claims). Every protocol failure is raised as :class:`OidcProtocolError`, whose message is
for logs only, never for the visitor.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import warnings
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

with warnings.catch_warnings():
    # Authlib 1.9 nudges towards the httpx2 fork; the pinned httpx is still fully supported by it.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

SCOPE = "openid email profile"
TIMEOUT = httpx.Timeout(10.0)
LEEWAY_SECONDS = 60
# Asymmetric algorithms only: never "none", never HS* (that would make the client secret a signing key).
SAFE_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"})


class OidcProtocolError(Exception):
    """The provider's answer cannot be trusted or used."""


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


def require_secure_url(url: str, *, allow_http: bool, allow_private: bool = False) -> None:
    """https (or http where allowed) to a host on the public internet.

    A school admin types the issuer, and the server then fetches it and the endpoints it names: without
    the address check that would let anyone with an admin account make the server call internal
    services (cloud metadata, the database host). Checked right before every use, so a name that is
    later pointed elsewhere is caught at the next log-in (a rebind between check and connect remains).
    """
    parts = urlsplit(url)
    if not parts.hostname or parts.scheme not in ({"https", "http"} if allow_http else {"https"}):
        raise OidcProtocolError(f"not an {'http(s)' if allow_http else 'https'} URL: {url!r}")
    if not allow_private:
        _require_public_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))


def _require_public_host(host: str, port: int) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise OidcProtocolError(f"cannot resolve {host!r}") from error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:  # private, loopback, link-local, reserved, shared, multicast...
            raise OidcProtocolError(f"{host!r} resolves to a non-public address ({address})")


def discover(issuer: str, *, allow_http: bool, allow_private: bool = False) -> ProviderMetadata:
    """Read ``<issuer>/.well-known/openid-configuration``; its ``issuer`` must equal ours exactly."""
    require_secure_url(issuer, allow_http=allow_http, allow_private=allow_private)
    document = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != issuer:
        raise OidcProtocolError(f"discovery names issuer {document.get('issuer')!r}, expected {issuer!r}")
    try:
        endpoints = {k: str(document[k]) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")}
    except KeyError as error:
        raise OidcProtocolError(f"discovery lacks {error}") from error
    for url in endpoints.values():
        require_secure_url(url, allow_http=allow_http, allow_private=allow_private)
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(a for a in offered if a in SAFE_ALGORITHMS)
    if not algorithms:
        raise OidcProtocolError(f"no acceptable ID token algorithm among {offered!r}")
    return ProviderMetadata(issuer=issuer, algorithms=algorithms, **endpoints)


def authorization_url(
    meta: ProviderMetadata, *, client_id: str, redirect_uri: str, state: str, nonce: str, code_verifier: str
) -> str:
    with _client(client_id=client_id, client_secret=None, redirect_uri=redirect_uri) as client:
        url, _ = client.create_authorization_url(
            meta.authorization_endpoint, state=state, nonce=nonce, code_verifier=code_verifier
        )
    return str(url)


def exchange_code(
    meta: ProviderMetadata,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str,
) -> str:
    """Trade the authorization code for tokens at the token endpoint; returns the raw ID token."""
    try:
        with _client(client_id=client_id, client_secret=client_secret, redirect_uri=redirect_uri) as client:
            token = client.fetch_token(
                meta.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
            )
    except Exception as error:  # OAuthError, HTTP and JSON errors alike mean "refused"
        raise OidcProtocolError(f"token request failed: {type(error).__name__}: {error}") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcProtocolError("token response without id_token")
    return id_token


def fetch_keys(meta: ProviderMetadata) -> KeySet:
    try:
        return KeySet.import_key_set(_get_json(meta.jwks_uri))  # type: ignore[arg-type]
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise OidcProtocolError(f"unusable JWKS: {error}") from error


def validate_id_token(
    id_token: str,
    *,
    keys: KeySet,
    algorithms: tuple[str, ...],
    issuer: str,
    client_id: str,
    nonce: str,
    now: int | None = None,
) -> dict[str, Any]:
    """Verified claims of an ID token (OIDC Core 3.1.3.7): signature, iss, aud/azp, nonce, exp, iat."""
    try:
        token = jwt.decode(id_token, keys, algorithms=[a for a in algorithms if a in SAFE_ALGORITHMS])
        claims = token.claims
        jwt.JWTClaimsRegistry(
            now=now if now is not None else int(time.time()),
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(claims)
    except (JoseError, ValueError) as error:
        raise OidcProtocolError(f"ID token refused: {type(error).__name__}: {error}") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != client_id:
        raise OidcProtocolError("ID token azp does not name this client")
    return dict(claims)


def _client(*, client_id: str, client_secret: str | None, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=client_id,
        client_secret=client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=TIMEOUT,
        follow_redirects=False,
    )


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = httpx.get(
            url, timeout=TIMEOUT, follow_redirects=False, headers={"Accept": "application/json"}
        )
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OidcProtocolError(f"GET {url} failed: {type(error).__name__}") from error
    if not isinstance(document, dict):
        raise OidcProtocolError(f"GET {url}: not a JSON object")
    return document
