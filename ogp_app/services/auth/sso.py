"""Sign-in with a school's own OpenID Connect provider (authorization code flow, PKCE S256, nonce).

SSO only *identifies* people the school already registered: the e-mail in a verified ID token must belong
to an existing account holding a teacher or school_admin membership at that very school. It never creates
accounts, never grants a role, and never signs in parents or OGP staff (staff keep their own log-in with a
second factor, so a school's provider cannot open the back office).

The state is stored server-side (hashed) and spent with one conditional UPDATE: a replayed, expired or
unknown state is refused before the provider is contacted again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NamedTuple, ParamSpec, TypeVar
from urllib.parse import urlsplit

from sqlmodel import Session, col, delete, select, update

from ogp_app.core.db import school_session
from ogp_app.core.settings import get_settings
from ogp_app.integrations import oidc
from ogp_app.models import (
    Membership,
    OidcLoginAttempt,
    Role,
    School,
    SchoolIdentityProvider,
    SchoolStatus,
    User,
)
from ogp_app.models.base import utcnow
from ogp_app.services.auth import rate_limit
from ogp_app.services.auth.crypto import (
    PURPOSE_OIDC_CLIENT_SECRET,
    PURPOSE_PKCE_VERIFIER,
    decrypt_secret,
    encrypt_secret,
)
from ogp_app.services.errors import DomainError, InvalidInput

ATTEMPT_LIFETIME = timedelta(minutes=10)
SSO_ROLES = (Role.TEACHER.value, Role.SCHOOL_ADMIN.value)
_DOMAIN = re.compile(r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_TENANT = re.compile(r"[A-Za-z0-9-]{1,64}")
_P = ParamSpec("_P")
_R = TypeVar("_R")


class SsoError(DomainError):
    """Sign-in with the school's provider failed; the detail is for the audit log only."""

    message_key = "sso.error.failed"


class SsoNotAvailable(SsoError):
    message_key = "sso.error.not_available"


class SsoAttemptInvalid(SsoError):
    message_key = "sso.error.expired"


class SsoEmailRefused(SsoError):
    message_key = "sso.error.email_not_allowed"


class SsoAccountRefused(SsoError):
    message_key = "sso.error.no_account"


@dataclass(frozen=True)
class ProviderSettings:
    """What an admin page may show about the school's provider (never the secret)."""

    issuer: str
    client_id: str
    allowed_email_domain: str | None
    tenant_id: str | None
    enabled: bool


@dataclass(frozen=True)
class LoginRedirect:
    url: str  # the provider's authorization URL
    state: str  # also set as a cookie, so the callback must come back to the same browser


class SsoLogin(NamedTuple):
    user_id: int
    school_id: int


def _url_rules() -> dict[str, bool]:
    """What the provider's URLs may be: plain http and private addresses only where settings allow."""
    settings = get_settings()
    return {
        "allow_http": settings.oidc_allow_insecure_http,
        "allow_private": settings.oidc_allow_private_network,
    }


def redirect_uri() -> str:
    settings = get_settings()
    return settings.public_base_url.rstrip("/") + settings.oidc_redirect_path


def configure_provider(
    db: Session,
    *,
    school_id: int,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    allowed_email_domain: str | None,
    tenant_id: str | None,
    enabled: bool,
) -> ProviderSettings:
    """Create or update the school's provider. ``db`` must be ``school_session(school_id)``.

    An empty ``client_secret`` keeps the stored one (forms never show secrets back), unless the issuer
    or client id changes.
    """
    issuer = issuer.strip()
    parts = urlsplit(issuer)
    try:
        oidc.require_secure_url(issuer, **_url_rules())
    except oidc.OidcProtocolError as error:
        raise InvalidInput(str(error), message_key="sso.error.invalid_issuer") from error
    if parts.query or parts.fragment or len(issuer) > 500:
        raise InvalidInput("issuer with query or fragment", message_key="sso.error.invalid_issuer")
    client_id = client_id.strip()
    if not client_id or len(client_id) > 255:
        raise InvalidInput("client id", message_key="sso.error.invalid_client")
    domain = (allowed_email_domain or "").strip().lower().removeprefix("@") or None
    if domain is not None and not _DOMAIN.fullmatch(domain):
        raise InvalidInput("e-mail domain", message_key="sso.error.invalid_domain")
    tenant = (tenant_id or "").strip() or None
    if tenant is not None and not _TENANT.fullmatch(tenant):
        raise InvalidInput("tenant id", message_key="sso.error.invalid_tenant")

    provider = db.exec(
        select(SchoolIdentityProvider).where(SchoolIdentityProvider.school_id == school_id)
    ).first()
    # The stored secret is only ever sent to the provider it was entered for.
    moved = provider is None or (provider.issuer, provider.client_id) != (issuer, client_id)
    if (moved and not client_secret) or len(client_secret or "") > 1000:
        raise InvalidInput("client secret", message_key="sso.error.invalid_client")
    if provider is None:
        provider = SchoolIdentityProvider(
            school_id=school_id, issuer=issuer, client_id=client_id, client_secret_encrypted=""
        )
    if client_secret:
        provider.client_secret_encrypted = encrypt_secret(client_secret, purpose=PURPOSE_OIDC_CLIENT_SECRET)
    provider.issuer, provider.client_id = issuer, client_id
    provider.allowed_email_domain, provider.tenant_id = domain, tenant
    provider.enabled, provider.updated_at = enabled, utcnow()
    db.add(provider)
    db.commit()
    return _settings_of(provider)


def provider_settings(db: Session, *, school_id: int) -> ProviderSettings | None:
    """The school's provider for display. ``db`` must be ``school_session(school_id)``."""
    provider = db.exec(
        select(SchoolIdentityProvider).where(SchoolIdentityProvider.school_id == school_id)
    ).first()
    return _settings_of(provider) if provider else None


def start_login(db: Session, *, school_slug: str, ip: str | None = None) -> LoginRedirect:
    """Record a login attempt and return where to send the browser. ``db``: a plain ``session()``.

    Rate limited per network address: every start writes a row and calls the school's provider.
    """
    if ip:
        rate_limit.hit(db, key=rate_limit.limit_key("sso_start:ip", ip), **rate_limit.SSO_START_PER_IP.kw)
        db.commit()
    school = db.exec(select(School).where(School.slug == school_slug[:80])).first()
    if school is None or school.id is None or school.status != SchoolStatus.ACTIVE.value:
        raise SsoNotAvailable(f"no active school {school_slug[:80]!r}")
    provider = _enabled_provider(school.id)
    meta = _protocol(oidc.discover, provider.issuer, **_url_rules())
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    now = utcnow()
    db.exec(delete(OidcLoginAttempt).where(col(OidcLoginAttempt.expires_at) < now - timedelta(days=1)))
    db.add(
        OidcLoginAttempt(
            state_hash=_hash(state),
            school_id=school.id,
            nonce=nonce,
            code_verifier_encrypted=encrypt_secret(verifier, purpose=PURPOSE_PKCE_VERIFIER),
            created_at=now,
            expires_at=now + ATTEMPT_LIFETIME,
        )
    )
    db.commit()
    url = oidc.authorization_url(
        meta,
        client_id=provider.client_id,
        redirect_uri=redirect_uri(),
        state=state,
        nonce=nonce,
        code_verifier=verifier,
    )
    return LoginRedirect(url=url, state=state)


def finish_login(db: Session, *, state: str, code: str, browser_state: str | None) -> SsoLogin:
    """Complete the callback: spend the state, exchange the code, check the ID token and the person.

    ``browser_state`` is the state cookie set by the start route; ``db``: a plain ``session()``.
    """
    if not state or not code or len(state) > 200 or len(code) > 2000:
        raise SsoAttemptInvalid("callback without state or code")
    if not browser_state or not hmac.compare_digest(browser_state.encode(), state.encode()):
        raise SsoAttemptInvalid("state does not belong to this browser")
    attempt = _spend_attempt(db, state)
    school_id = attempt.school_id
    provider = _enabled_provider(school_id)
    meta = _protocol(oidc.discover, provider.issuer, **_url_rules())
    id_token = _protocol(
        oidc.exchange_code,
        meta,
        client_id=provider.client_id,
        client_secret=decrypt_secret(provider.client_secret_encrypted, purpose=PURPOSE_OIDC_CLIENT_SECRET),
        redirect_uri=redirect_uri(),
        code=code,
        code_verifier=decrypt_secret(attempt.code_verifier_encrypted, purpose=PURPOSE_PKCE_VERIFIER),
    )
    claims = _protocol(
        oidc.validate_id_token,
        id_token,
        keys=_protocol(oidc.fetch_keys, meta),
        algorithms=meta.algorithms,
        issuer=provider.issuer,
        client_id=provider.client_id,
        nonce=attempt.nonce,
    )
    email = _acceptable_email(claims, provider, school_id)
    return SsoLogin(user_id=_eligible_user(db, email, school_id), school_id=school_id)


def _settings_of(provider: SchoolIdentityProvider) -> ProviderSettings:
    return ProviderSettings(
        issuer=provider.issuer,
        client_id=provider.client_id,
        allowed_email_domain=provider.allowed_email_domain,
        tenant_id=provider.tenant_id,
        enabled=provider.enabled,
    )


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _enabled_provider(school_id: int) -> SchoolIdentityProvider:
    with school_session(school_id) as sdb:
        provider = sdb.exec(
            select(SchoolIdentityProvider).where(SchoolIdentityProvider.school_id == school_id)
        ).first()
    if provider is None or not provider.enabled:
        raise SsoNotAvailable(f"school {school_id} has no enabled provider")
    return provider


def _spend_attempt(db: Session, state: str) -> OidcLoginAttempt:
    """Mark the attempt used if it is known, unused and in time; refuse otherwise (replay, expiry)."""
    now = utcnow()
    spent = db.exec(
        update(OidcLoginAttempt)
        .where(col(OidcLoginAttempt.state_hash) == _hash(state))
        .where(col(OidcLoginAttempt.used_at).is_(None))
        .where(col(OidcLoginAttempt.expires_at) > now)
        .values(used_at=now)
    )
    db.commit()
    if spent.rowcount != 1:
        raise SsoAttemptInvalid("state unknown, already used or expired")
    attempt = db.exec(select(OidcLoginAttempt).where(OidcLoginAttempt.state_hash == _hash(state))).one()
    return attempt


def _protocol(func: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
    """Call into the OIDC adapter, turning its protocol errors into a refusal."""
    try:
        return func(*args, **kwargs)
    except oidc.OidcProtocolError as error:
        raise SsoError(str(error)) from error


def _acceptable_email(claims: dict[str, Any], provider: SchoolIdentityProvider, school_id: int) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or email.count("@") != 1 or len(email) > 254:
        raise SsoEmailRefused(f"school {school_id}: ID token without a usable e-mail")
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[1]
    if "email_verified" in claims and claims["email_verified"] not in (True, "true"):
        raise SsoEmailRefused(f"school {school_id}: e-mail at {domain} not verified by the provider")
    if provider.allowed_email_domain and domain != provider.allowed_email_domain:
        raise SsoEmailRefused(f"school {school_id}: e-mail domain {domain} not allowed")
    if provider.tenant_id and claims.get("tid") != provider.tenant_id:
        raise SsoEmailRefused(f"school {school_id}: tenant {claims.get('tid')!r} not allowed")
    return email


def _eligible_user(db: Session, email: str, school_id: int) -> int:
    user = db.exec(select(User).where(User.email == email)).first()
    if user is None or user.id is None:
        raise SsoAccountRefused(f"school {school_id}: no account for this e-mail")
    if user.is_staff:
        raise SsoAccountRefused(f"school {school_id}: user {user.id} is OGP staff")
    with school_session(school_id) as sdb:
        role = sdb.exec(
            select(Membership.role).where(
                Membership.school_id == school_id,
                Membership.user_id == user.id,
                col(Membership.role).in_(SSO_ROLES),
            )
        ).first()
    if role is None:
        raise SsoAccountRefused(f"school {school_id}: user {user.id} is not staff of this school")
    return user.id
