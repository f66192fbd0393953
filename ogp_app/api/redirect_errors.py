"""The ``?error=<suffix>`` contract between the log-in routes (which redirect) and the pages (which show).

Only suffixes listed here are ever shown; anything else in the URL falls back to a generic message, so
a crafted link cannot put arbitrary text on our pages. Messages never say whether an account exists.
"""

from __future__ import annotations

from ogp_app.services.auth.rate_limit import RateLimited
from ogp_app.services.errors import DomainError

# suffix -> catalog key
ERROR_KEYS: dict[str, str] = {
    "invalid_credentials": "accounts.error.invalid_credentials",
    "locked": "accounts.error.locked",
    "too_many_attempts": "accounts.error.too_many_attempts",
    "rate_limited": "accounts.error.rate_limited",
    "email_not_verified": "accounts.error.email_not_verified",
    "invalid_link": "accounts.error.invalid_link",
    "email_taken": "accounts.error.email_taken",
    "email_invalid": "accounts.error.email_invalid",
    "password_too_short": "accounts.password.too_short",
    "password_too_long": "accounts.password.too_long",
    "password_common": "accounts.password.common",
    "password_personal": "accounts.password.personal",
    "invalid_code": "auth.error.invalid_code",
    "second_factor_rate_limited": "auth.error.second_factor_rate_limited",
    "session_expired": "auth.error.session_expired",
    "not_signed_in": "auth.error.not_signed_in",
    "forbidden": "auth.error.forbidden",
    "sso": "auth.error.sso",
    "unknown": "login.error.unknown",
    "generic": "error.generic",
}
# message keys whose text takes {minutes}
WITH_MINUTES = {"locked", "too_many_attempts", "rate_limited", "second_factor_rate_limited"}
_BY_MESSAGE_KEY = {key: suffix for suffix, key in ERROR_KEYS.items()}
_BY_MESSAGE_KEY["two_factor.error.invalid_code"] = "invalid_code"
_BY_MESSAGE_KEY["error.not_signed_in"] = "not_signed_in"
_BY_MESSAGE_KEY["error.forbidden"] = "forbidden"


def error_suffix(error: DomainError) -> str:
    """The ``?error=`` value for a refused request."""
    return _BY_MESSAGE_KEY.get(error.message_key, "generic")


def error_query(error: DomainError) -> str:
    """``error=<suffix>`` plus ``&minutes=<n>`` for rate limits."""
    suffix = error_suffix(error)
    if isinstance(error, RateLimited) and suffix in WITH_MINUTES:
        return f"error={suffix}&minutes={error.message_values['minutes']}"
    return f"error={suffix}"


def message_key(suffix: object) -> str | None:
    """The catalog key for a suffix from the URL, or None when there is nothing (known) to show."""
    if not isinstance(suffix, str) or not suffix:
        return None
    return ERROR_KEYS.get(suffix, ERROR_KEYS["generic"])
