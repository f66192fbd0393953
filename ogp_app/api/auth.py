"""Log-in, log-out and the e-mail link routes: form POSTs that end in a 303 redirect (a full page load).

The websocket reads the session cookie when it connects, so every change of identity is a plain HTTP
request followed by a page load. Every log-in goes through :func:`start_session_response`, which calls
the one decision :func:`ogp_app.services.auth.login_flow.start_login_session` (rotation; second factor).
Refusals redirect back with ``?error=<suffix>`` (see :mod:`ogp_app.api.redirect_errors`) and never tell
whether an account exists. Pages that show a link's button only peek; these POSTs consume.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ogp_app.api.cookies import clear_session_cookie, session_token, set_session_cookie
from ogp_app.api.redirect_errors import error_query
from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.models import Membership, SessionStage, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.accounts import memberships_of
from ogp_app.services.auth.login_flow import complete_second_factor, start_login_session
from ogp_app.services.auth.sessions import (
    resolve_session,
    revoke_all_sessions,
    revoke_session,
    rotate_session,
)
from ogp_app.services.errors import DomainError, NotAuthenticated
from ogp_app.services.rounds.family_rounds import has_round_to_book

TWO_FACTOR_PROMPT = "/login/two-factor"
TWO_FACTOR_SETUP = "/account/two-factor"
CHOOSE_SCHOOL = "/choose-school"
HOME = "/app"
BOOK = "/book"
_FIELD_MAX = {"email": 320, "password": 4096, "token": 128, "code": 64, "school_id": 12}
T = TypeVar("T")


def redirect(to: str) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    response.headers["cache-control"] = "no-store"
    return response


def refused(path: str, error: DomainError, **keep: str) -> RedirectResponse:
    """Back to ``path`` with the error suffix (and only the parameters the page needs again)."""
    extra = "".join(f"&{name}={quote(value, safe='')}" for name, value in keep.items() if value)
    return redirect(f"{path}?{error_query(error)}{extra}")


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """The named form fields as strings; missing, non-text or overlong values become ''."""
    try:
        form = await request.form(max_files=0, max_fields=20)
    except Exception:  # noqa: BLE001 - a malformed body is just empty input
        return dict.fromkeys(names, "")
    values: dict[str, str] = {}
    for name in names:
        value = form.get(name)
        text = value if isinstance(value, str) else ""
        values[name] = text if len(text) <= _FIELD_MAX.get(name, 1000) else ""
    return values


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _destination(token: str, stage: SessionStage, user_id: int, school_id: int | None, to: str) -> str:
    """Where a fresh session goes first: the 2FA prompt, the 2FA set-up, the school choice, or ``to``."""
    if stage is SessionStage.SECOND_FACTOR:
        return TWO_FACTOR_PROMPT
    identity = resolve_session(token)
    if identity is not None and identity.must_enrol_second_factor:
        return TWO_FACTOR_SETUP
    if school_id is None:
        with unscoped() as db:  # a person's memberships span schools
            if len(memberships_of(db, user_id=user_id)) > 1:
                return CHOOSE_SCHOOL
    return _home(user_id, school_id) if to == HOME else to


def _home(user_id: int, school_id: int | None) -> str:
    """A parent with a round to book lands on it; everybody else on the overview."""
    if school_id is None:
        return HOME
    with school_session(school_id) as db:
        to_book = has_round_to_book(db, school_id=school_id, user_id=user_id, now=utcnow())
    return BOOK if to_book else HOME


def _start(user_id: int, school_id: int | None, old_token: str | None, to: str) -> tuple[str, str]:
    with db_session() as db:
        token, stage = start_login_session(db, user_id=user_id, school_id=school_id, old_token=old_token)
    return token, _destination(token, stage, user_id, school_id, to)


def start_session_response(
    *, user_id: int, school_id: int | None, old_token: str | None, to: str = HOME
) -> Response:
    """Log in: rotate the visitor's session through the one log-in decision and redirect."""
    token, destination = _start(user_id, school_id, old_token, to)
    response = redirect(destination)
    set_session_cookie(response, token)
    return response


async def _run(work: Callable[[], T]) -> T:
    return await run_in_threadpool(work)


async def login(request: Request) -> Response:
    fields = await form_fields(request, "email", "password")
    ip = client_ip(request)

    def work() -> tuple[int, int | None]:
        with db_session() as db:
            user_id = accounts.authenticate(db, email=fields["email"], password=fields["password"], ip=ip)
        with unscoped() as db:
            return user_id, accounts.default_school_id(db, user_id=user_id)

    try:
        user_id, school_id = await _run(work)
    except DomainError as error:
        return refused("/login", error)
    return await run_in_threadpool(
        start_session_response, user_id=user_id, school_id=school_id, old_token=session_token(request)
    )


async def two_factor(request: Request) -> Response:
    fields = await form_fields(request, "code")
    old = session_token(request)

    def work() -> tuple[str, int, int | None]:
        with db_session() as db:
            token, pending = complete_second_factor(db, token=old, code=fields["code"])
        return token, pending.user_id, pending.school_id

    try:
        token, user_id, school_id = await _run(work)
    except NotAuthenticated as error:
        return refused("/login", DomainError(str(error), message_key="auth.error.session_expired"))
    except DomainError as error:
        return refused(TWO_FACTOR_PROMPT, error)
    destination = await run_in_threadpool(_destination, token, SessionStage.FULL, user_id, school_id, HOME)
    response = redirect(destination)
    set_session_cookie(response, token)
    return response


def _token_route(
    page: str, consume: Callable[[Session, str], tuple[int, int | None]], *, unscoped_session: bool = False
) -> Callable[[Request], object]:
    """POST <token> -> consume it -> log in. Refusals go back to ``page`` (which then shows no button)."""

    async def route(request: Request) -> Response:
        raw = (await form_fields(request, "token"))["token"]

        def work() -> tuple[int, int | None]:
            with unscoped() if unscoped_session else db_session() as db:
                return consume(db, raw)

        try:
            user_id, school_id = await _run(work)
        except DomainError as error:
            return refused(page, error)
        return await run_in_threadpool(
            start_session_response, user_id=user_id, school_id=school_id, old_token=session_token(request)
        )

    return route


def _verify(db: Session, raw: str) -> tuple[int, int | None]:
    verified = accounts.verify_email(db, raw_token=raw)
    return verified.user_id, verified.school_id


def _accept(db: Session, raw: str) -> tuple[int, int | None]:
    return accounts.accept_invitation(db, raw_token=raw)


def _sign_in(db: Session, raw: str) -> tuple[int, int | None]:
    return accounts.consume_sign_in_link(db, raw_token=raw)


async def refresh_invitation(request: Request) -> Response:
    """The expired invitation page's button: a fresh link to the address on file; says the same always."""
    raw = (await form_fields(request, "token"))["token"]
    ip = client_ip(request)

    def work() -> None:
        with unscoped() as db:  # the visitor is signed out; the service names the token's school
            accounts.refresh_invitation(db, raw_token=raw, ip=ip)

    try:
        await _run(work)
    except DomainError as error:
        return refused("/invitation", error, token=raw)
    return redirect("/invitation?notice=invitation_refreshed")


async def reset_password(request: Request) -> Response:
    """Set a new password from the link; every session ends, so the person logs in afresh."""
    fields = await form_fields(request, "token", "password")

    def work() -> None:
        with db_session() as db:
            accounts.reset_password(db, raw_token=fields["token"], new_password=fields["password"])

    try:
        await _run(work)
    except DomainError as error:
        keep = {} if error.message_key == "accounts.error.invalid_link" else {"token": fields["token"]}
        return refused("/reset-password", error, **keep)
    response = redirect("/login?notice=password_reset")
    clear_session_cookie(response)
    return response


async def confirm_email(request: Request) -> Response:
    raw = (await form_fields(request, "token"))["token"]

    def work() -> None:
        with db_session() as db:
            accounts.confirm_email_change(db, raw_token=raw)

    try:
        await _run(work)
    except DomainError as error:
        return refused("/confirm-email", error)
    return redirect("/confirm-email?done=1")


async def switch_school(request: Request) -> Response:
    """Point the session at another school of the same person; the token rotates."""
    raw_id = (await form_fields(request, "school_id"))["school_id"]
    old = session_token(request)

    def work() -> tuple[str, str]:
        identity = resolve_session(old) if old else None
        if old is None or identity is None:
            raise NotAuthenticated()
        school_id = int(raw_id) if raw_id.isdigit() else -1
        with unscoped() as db:  # the membership may be at any school; switch_school checks it
            accounts.switch_school(db, token=old, school_id=school_id)
            token = rotate_session(db, token=old, school_id=school_id)  # commits
        return token, _home(identity.user_id, school_id)

    try:
        token, home = await _run(work)
    except NotAuthenticated as error:
        return refused("/login", error)
    except DomainError as error:
        return refused(CHOOSE_SCHOOL, error)
    response = redirect(home)
    set_session_cookie(response, token)
    return response


async def logout(request: Request) -> Response:
    token = session_token(request)
    if token:
        with db_session() as db:
            revoke_session(db, token)
    response = redirect("/")
    clear_session_cookie(response)
    return response


async def logout_everywhere(request: Request) -> Response:
    identity = resolve_session(session_token(request))
    if identity is not None:
        with db_session() as db:
            revoke_all_sessions(db, user_id=identity.user_id)
    response = redirect("/")
    clear_session_cookie(response)
    return response


async def drop_dead_cookie(request: Request) -> Response:
    """Clear a session cookie whose session no longer exists (e.g. right after account deletion).

    Loaded by the privacy centre as an image once the account is gone: the websocket cannot touch an
    HttpOnly cookie, this response can. A live session is left alone, so a GET signs nobody out.
    """
    token = session_token(request)
    alive = await run_in_threadpool(resolve_session, token) if token else None
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if token and alive is None:
        clear_session_cookie(response)
    return response


async def dev_login(request: Request) -> Response:
    """Sign in as any demo user by e-mail. Only mounted when OGP_ENV=development; re-checked here."""
    if get_settings().env != "development":
        return Response(status_code=404)
    email = (await form_fields(request, "email"))["email"].strip().lower()
    with unscoped() as db:
        user = db.exec(select(User).where(User.email == email)).first()
        if user is None or user.id is None:
            return redirect("/login?error=unknown")
        # The person's first school (the demo school): without an order PostgreSQL may return any row.
        school_id = db.exec(
            select(Membership.school_id).where(Membership.user_id == user.id).order_by(col(Membership.id))
        ).first()
        user_id = user.id
    return start_session_response(user_id=user_id, school_id=school_id, old_token=session_token(request))


def auth_routes() -> list[Route]:
    routes = [
        Route("/api/auth/login", login, methods=["POST"]),
        Route("/api/auth/two-factor", two_factor, methods=["POST"]),
        Route("/api/auth/verify-email", _token_route("/verify", _verify), methods=["POST"]),
        Route("/api/auth/accept-invitation", _token_route("/invitation", _accept), methods=["POST"]),
        Route(
            "/api/auth/sign-in", _token_route("/sign-in", _sign_in, unscoped_session=True), methods=["POST"]
        ),
        Route("/api/auth/refresh-invitation", refresh_invitation, methods=["POST"]),
        Route("/api/auth/reset-password", reset_password, methods=["POST"]),
        Route("/api/auth/confirm-email", confirm_email, methods=["POST"]),
        Route("/api/auth/switch-school", switch_school, methods=["POST"]),
        Route("/api/auth/logout", logout, methods=["POST"]),
        Route("/api/auth/logout-everywhere", logout_everywhere, methods=["POST"]),
        Route("/api/auth/drop-dead-cookie", drop_dead_cookie, methods=["GET"]),
    ]
    if get_settings().env == "development":
        routes.append(Route("/api/dev/login", dev_login, methods=["POST"]))
    return routes
