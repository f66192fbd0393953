"""A school's single sign-on configuration and in-flight log-ins."""

from __future__ import annotations

from ogp_app.services.privacy.registry import no_personal_data

no_personal_data(
    "school_identity_provider",
    reason="Configuration of the school's identity provider (issuer, client id, domain); no person.",
    secret=["client_secret_encrypted"],
)
no_personal_data(
    "oidc_login_attempt",
    reason="State of one redirect to a provider, before anyone is known; expires in minutes.",
    secret=["code_verifier_encrypted", "nonce", "state_hash"],
)
