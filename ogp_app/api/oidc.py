"""Sign-in with the school's OIDC provider: start (redirect out) and callback (session in).

Both end in a redirect, so the browser makes a full page load with the new cookie. Failures all look
the same to the visitor (/login?error=sso); the reason goes to the audit log only.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ogp_app.api.auth import client_ip, start_session_response
from ogp_app.api.cookies import session_token
from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.services.auth import sso

audit = logging.getLogger("ogp_app.audit.sso")
STATE_COOKIE = "ogp_oidc_state"
FAILURE_URL = "/login?error=sso"


def _start(slug: str, ip: str | None) -> sso.LoginRedirect:
    with db_session() as db:
        return sso.start_login(db, school_slug=slug, ip=ip)


def _finish(state: str, code: str, browser_state: str | None) -> sso.SsoLogin:
    with db_session() as db:
        return sso.finish_login(db, state=state, code=code, browser_state=browser_state)


def _refused(stage: str, error: Exception | str) -> Response:
    reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    audit.warning("sso %s refused: %s", stage, reason, exc_info=not isinstance(error, str | sso.SsoError))
    response = RedirectResponse(FAILURE_URL, status_code=303)
    _forget_state(response)
    return response


def _forget_state(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(
        STATE_COOKIE,
        path=settings.oidc_redirect_path,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    response.headers["cache-control"] = "no-store"


async def oidc_start(request: Request) -> Response:
    try:
        redirect = await run_in_threadpool(_start, request.query_params.get("school", ""), client_ip(request))
    except Exception as error:  # noqa: BLE001 - every failure is a logged refusal
        return _refused("start", error)
    settings = get_settings()
    response = RedirectResponse(redirect.url, status_code=302)
    # Lax cookies do come along on the provider's top-level redirect back to us.
    response.set_cookie(
        STATE_COOKIE,
        redirect.state,
        max_age=int(sso.ATTEMPT_LIFETIME.total_seconds()),
        path=settings.oidc_redirect_path,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    response.headers["cache-control"] = "no-store"
    return response


async def oidc_callback(request: Request) -> Response:
    params = request.query_params
    if "error" in params:  # the person cancelled, or the provider refused
        return _refused("callback", f"provider answered error={params['error'][:100]!r}")
    try:
        login = await run_in_threadpool(
            _finish, params.get("state", ""), params.get("code", ""), request.cookies.get(STATE_COOKIE)
        )
    except Exception as error:  # noqa: BLE001 - every failure is a logged refusal
        return _refused("callback", error)
    audit.info("sso login user=%s school=%s", login.user_id, login.school_id)
    response = start_session_response(
        user_id=login.user_id, school_id=login.school_id, old_token=session_token(request), to="/app"
    )
    _forget_state(response)
    return response


def oidc_routes() -> list[Route]:
    return [
        Route("/api/auth/oidc/start", oidc_start, methods=["GET"]),
        Route(get_settings().oidc_redirect_path, oidc_callback, methods=["GET"]),
    ]
