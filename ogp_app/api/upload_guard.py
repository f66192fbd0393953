"""ASGI guard in front of Reflex's ``POST /_upload``: who may upload, and how much, before a byte is read.

Reflex parses the upload with Starlette's multipart parser (``request.form()``), which spools every part
over ``spool_max_size`` to a temporary file. Here: a request without a session of a school admin gets
401/403 before its body is read; a declared Content-Length over the limit gets 413 at once; a body that
streams past it is cut off (the app sees a disconnect) and answered 413. The spool threshold is raised
above the limit (``keep_uploads_in_memory``), so a roster never touches the disk; other multipart bodies
stay under Starlette's old threshold, so raising it costs no memory elsewhere.
"""

from __future__ import annotations

import asyncio

from starlette.formparsers import MultiPartParser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ogp_app.api.cookies import LANGUAGE_COOKIE, cookie_from_header, session_token_from_header
from ogp_app.core.metrics import count_refusal
from ogp_app.i18n import normalise_language, translate
from ogp_app.models import Role
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.roster_import.limits import MAX_UPLOAD_BODY, megabytes

UPLOAD_PATH = "/_upload"
OTHER_MULTIPART_BODY = 1024 * 1024  # Starlette's own spool threshold: what any other form may hold in memory


def keep_uploads_in_memory() -> None:
    """Parts up to the upload limit stay in memory: nothing personal in a temporary file."""
    MultiPartParser.spool_max_size = MAX_UPLOAD_BODY


def may_upload(cookie_header: str) -> int:
    """200 when the cookie's session is an enrolled school admin's; else 401 (no session) or 403."""
    identity = resolve_session(session_token_from_header(cookie_header))
    if identity is None:
        return 401
    if identity.must_enrol_second_factor:
        return 403
    try:
        identity.require_role(Role.SCHOOL_ADMIN)
    except PermissionDenied:
        return 403
    return 200


class UploadGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        is_upload = scope["path"].rstrip("/") == UPLOAD_PATH
        if not is_upload and not headers.get("content-type", "").lower().startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        language = normalise_language(cookie_from_header(headers.get("cookie"), LANGUAGE_COOKIE))
        limit = MAX_UPLOAD_BODY if is_upload else OTHER_MULTIPART_BODY
        if is_upload:
            status = await asyncio.to_thread(may_upload, headers.get("cookie", ""))
            if status != 200:
                await _refuse(send, status, translate("upload.refused.signed_out", language))
                return
        declared = headers.get("content-length", "")
        if declared and (not declared.isdigit() or int(declared) > limit):
            await _refuse(
                send, 413, translate("upload.refused.too_large", language, megabytes=megabytes(limit))
            )
            return
        await _bounded(self.app, scope, receive, send, limit=limit, language=language)


async def _bounded(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, *, limit: int, language: str
) -> None:
    """Run ``app`` with a body cut off past ``limit``: it then sees a disconnect; the client gets 413."""
    received = 0
    cut = False
    started = False

    async def bounded_receive() -> Message:
        nonlocal received, cut
        if cut:
            return {"type": "http.disconnect"}
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                cut = True
                return {"type": "http.disconnect"}
        return message

    async def guarded_send(message: Message) -> None:
        nonlocal started
        if cut:
            return  # the app's answer to a disconnect; ours follows
        started = started or message["type"] == "http.response.start"
        await send(message)

    await app(scope, bounded_receive, guarded_send)
    if cut and not started:
        await _refuse(send, 413, translate("upload.refused.too_large", language, megabytes=megabytes(limit)))


_REFUSAL_KIND = {401: "signed_out", 403: "not_allowed", 413: "too_large"}


async def _refuse(send: Send, status: int, text: str) -> None:
    count_refusal("upload", _REFUSAL_KIND.get(status, "other"))
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
