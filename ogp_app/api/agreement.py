"""GET /api/school/processor-agreement.pdf: the school's verwerkersovereenkomst, for its admin only.

The school comes from the session, never from the request: an admin downloads their own school's
agreement and no other. Never cached.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ogp_app.api.cookies import session_token
from ogp_app.core.db import school_session
from ogp_app.models import Role
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.onboarding.agreement_pdf import render_agreement_pdf
from ogp_app.services.onboarding.policies import AGREEMENT_VERSION

AGREEMENT_PATH = "/api/school/processor-agreement.pdf"
NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


def _pdf_for(token: str | None) -> tuple[int, bytes]:
    identity = resolve_session(token)
    if identity is None:
        return 401, b""
    if (
        identity.school_id is None
        or Role.SCHOOL_ADMIN.value not in identity.roles
        or identity.must_enrol_second_factor
    ):
        return 403, b""
    with school_session(identity.school_id) as db:
        try:
            return 200, render_agreement_pdf(db, school_id=identity.school_id, admin_user_id=identity.user_id)
        except PermissionDenied:
            return 403, b""


async def processor_agreement_pdf(request: Request) -> Response:
    status, pdf = await run_in_threadpool(_pdf_for, session_token(request))
    if status != 200:
        text = {401: "sign in first", 403: "school admins only"}[status]
        return PlainTextResponse(text, status_code=status, headers=NO_STORE)
    filename = f"verwerkersovereenkomst-{AGREEMENT_VERSION}.pdf"
    headers = {**NO_STORE, "content-disposition": f'attachment; filename="{filename}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def agreement_routes() -> list[Route]:
    return [Route(AGREEMENT_PATH, processor_agreement_pdf, methods=["GET"])]
