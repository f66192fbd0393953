"""When the database cannot be reached: a friendly page in the visitor's language with status 503.

HTTP routes (downloads, the log-in forms) answer with :func:`unavailable_response` instead of Starlette's
bare "Internal Server Error"; page events redirect to the ``/unavailable`` page
(``ogp_app.pages.public.unavailable``), since a page's HTML is static and its data come over the websocket.
``/api/health`` says 503 as well (``api/health.py``).
"""

from __future__ import annotations

import html
import logging

from sqlalchemy import exc as sa_exc
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ogp_app.i18n import LANGUAGE_COOKIE, normalise_language, translate

logger = logging.getLogger(__name__)

# What a lost, refused or exhausted database connection raises through SQLAlchemy (the rush's direct
# psycopg path converts to these too): "operational" covers refused, dropped and unopenable databases.
DATABASE_DOWN = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
)
RETRY_AFTER_SECONDS = 30


def is_database_down(error: BaseException) -> bool:
    """Whether ``error``, or an error it was raised from, says the database cannot be reached."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, DATABASE_DOWN):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def unavailable_html(language: str) -> str:
    """The page: no script, no external resources (the CSP holds), readable on a phone."""
    lang = normalise_language(language)

    def text(key: str) -> str:
        return html.escape(translate(key, lang))

    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text('unavailable.title')} · Oudergesprekplanner</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;"
        "line-height:1.5;color:#1c2024}a{color:#0d7a5f}</style></head><body>"
        f"<h1>{text('unavailable.title')}</h1><p>{text('unavailable.body')}</p>"
        f'<p><a href="/">{text("unavailable.home")}</a></p></body></html>'
    )


def unavailable_response(request: Request, error: Exception) -> HTMLResponse:
    """Starlette exception handler: 503 with the page, never cached, Retry-After set."""
    logger.warning(
        "database unreachable on %s %s: %s", request.method, request.url.path, type(error).__name__
    )
    return HTMLResponse(
        unavailable_html(request.cookies.get(LANGUAGE_COOKIE, "")),
        status_code=503,
        headers={"retry-after": str(RETRY_AFTER_SECONDS), "cache-control": "no-store"},
    )
