"""GET /api/privacy/export?token=...: the one-time download of an export (see services.privacy.downloads).

The caller's session must be the one that asked for the ticket; the ticket is gone after this request.
The ZIP is built here, in memory, and never cached by the browser.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ogp_app.api.cookies import session_token
from ogp_app.core.db import unscoped
from ogp_app.models import User
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.errors import DomainError
from ogp_app.services.privacy import downloads, export


def _no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response


async def export_download(request: Request) -> Response:
    identity = await run_in_threadpool(resolve_session, session_token(request))
    if identity is None or identity.must_enrol_second_factor:
        return _no_store(RedirectResponse("/login", status_code=303))
    raw = request.query_params.get("token", "")

    def work() -> tuple[bytes, str]:
        with unscoped() as db:  # a person spans schools; the ticket names the one school of a school export
            ticket = downloads.consume_ticket(db, raw=raw, user_id=identity.user_id)
            if ticket.scope == "school":
                assert ticket.school_id is not None
                asker = db.get(User, identity.user_id)
                language = asker.preferred_language if asker else "nl"
                dataset = export.collect_school(db, school_id=ticket.school_id, language=language)
            else:
                dataset = export.collect_user(db, user_id=identity.user_id)
        return export.build_zip(dataset), export.filename(dataset)

    try:
        content, name = await run_in_threadpool(work)
    except DomainError:
        return _no_store(RedirectResponse("/privacy/me?error=download", status_code=303))
    return _no_store(
        Response(
            content,
            media_type="application/zip",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    )


def privacy_routes() -> list[Route]:
    return [Route(downloads.PATH, export_download, methods=["GET"])]
