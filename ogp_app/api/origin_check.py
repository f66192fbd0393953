"""Refuse cross-site POSTs to our HTTP routes (login CSRF and friends).

Browsers send an ``Origin`` header with every form POST; when one is present and is not the app's own
public origin, the request came from another site (or an opaque ``null`` origin) and is refused with 403
before any route runs. Requests without the header (scripts, webhooks, old clients) pass: they carry
no browser cookies an attacker could ride on, and SameSite=Lax keeps ours off cross-site POSTs anyway.
Our pages send ``Referrer-Policy: same-origin``; with ``no-referrer`` browsers send ``Origin: null``
even on our own forms (Fetch spec, "append a request Origin header").
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ogp_app.core.settings import get_settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class OriginCheckMiddleware:
    def __init__(self, app: ASGIApp, *, prefix: str = "/api/", exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.prefix = prefix
        self.exempt = frozenset(exempt)  # routes that use no cookie and verify a signature instead

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("method", "GET") in UNSAFE_METHODS
            and str(scope.get("path", "")).startswith(self.prefix)
            and str(scope.get("path", "")) not in self.exempt
        ):
            origins = [value for name, value in scope.get("headers", []) if name.lower() == b"origin"]
            if origins and any(o.decode("latin-1") != get_settings().public_origin for o in origins):
                response = PlainTextResponse("cross-origin request refused", status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
