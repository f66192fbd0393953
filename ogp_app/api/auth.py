"""Log-out routes, and the development-only demo log-in.

Log-in and log-out are plain HTTP requests ending in a redirect (a full page load), so the websocket
reconnects with the new cookie. Real log-in flows (password, e-mail link, OIDC) arrive with the
accounts work; they will reuse :func:`start_session_response`.
"""

from __future__ import annotations

from sqlmodel import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ogp_app.api.cookies import clear_session_cookie, session_token, set_session_cookie
from ogp_app.db import session as db_session
from ogp_app.db import unscoped
from ogp_app.models import Membership, User
from ogp_app.services.sessions import create_session, resolve_session, revoke_all_sessions, revoke_session
from ogp_app.settings import get_settings


def start_session_response(
    *, user_id: int, school_id: int | None, old_token: str | None, to: str
) -> Response:
    """Rotate: drop the visitor's old session (if any), start a new one, redirect to ``to``."""
    with db_session() as db:
        if old_token:
            revoke_session(db, old_token)
        token = create_session(db, user_id=user_id, school_id=school_id)
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, token)
    return response


async def logout(request: Request) -> Response:
    token = session_token(request)
    if token:
        with db_session() as db:
            revoke_session(db, token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


async def logout_everywhere(request: Request) -> Response:
    identity = resolve_session(session_token(request))
    if identity is not None:
        with db_session() as db:
            revoke_all_sessions(db, user_id=identity.user_id)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


async def dev_login(request: Request) -> Response:
    """Sign in as any demo user by e-mail. Only mounted when OGP_ENV=development; re-checked here."""
    if get_settings().env != "development":
        return Response(status_code=404)
    form = await request.form()
    email = str(form.get("email", "")).strip().lower()
    with unscoped() as db:
        user = db.exec(select(User).where(User.email == email)).first()
        if user is None or user.id is None:
            return RedirectResponse("/login?error=unknown", status_code=303)
        school_id = db.exec(select(Membership.school_id).where(Membership.user_id == user.id)).first()
        user_id = user.id
    return start_session_response(
        user_id=user_id, school_id=school_id, old_token=session_token(request), to="/app"
    )


def auth_routes() -> list[Route]:
    routes = [
        Route("/api/auth/logout", logout, methods=["POST"]),
        Route("/api/auth/logout-everywhere", logout_everywhere, methods=["POST"]),
    ]
    if get_settings().env == "development":
        routes.append(Route("/api/dev/login", dev_login, methods=["POST"]))
    return routes
