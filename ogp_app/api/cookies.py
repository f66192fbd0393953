"""Reading and writing the session cookie, shared by every HTTP route."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from starlette.requests import Request
from starlette.responses import Response

from ogp_app.core.settings import get_settings
from ogp_app.i18n import LANGUAGE_COOKIE  # noqa: F401 - one definition, re-exported for the HTTP side


def session_token_from_header(cookie_header: str | None) -> str | None:
    """The session token in a raw ``Cookie`` header (as Reflex hands it to event handlers)."""
    return cookie_from_header(cookie_header, get_settings().session_cookie_name)


def cookie_from_header(cookie_header: str | None, name: str) -> str | None:
    """One cookie's value in a raw ``Cookie`` header; None when absent or the header is malformed."""
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def session_token(request: Request) -> str | None:
    return request.cookies.get(get_settings().session_cookie_name)


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=settings.session_absolute_days * 24 * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


def clear_session_cookie(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(
        settings.session_cookie_name, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure
    )
