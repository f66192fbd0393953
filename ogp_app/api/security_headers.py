"""ASGI middleware that puts security headers on every HTTP response: pages, assets and API routes.

The production build's HTML carries a few inline hydration scripts; instead of ``'unsafe-inline'`` the
CSP lists their SHA-256 hashes, read from the built HTML files once at start-up.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ogp_app.core.settings import get_settings

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def build_dir() -> Path:
    """The built HTML this process serves: Reflex's web folder (REFLEX_WEB_WORKDIR, else .web)."""
    from reflex.utils.prerequisites import get_web_dir
    from reflex_base.constants import Dirs

    return get_web_dir() / Dirs.STATIC


def inline_script_hashes(html_files: Iterable[Path]) -> list[str]:
    """CSP source expressions ('sha256-…') for every inline script in the given HTML files."""
    hashes: set[str] = set()
    for path in html_files:
        for body in _INLINE_SCRIPT.findall(path.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


@lru_cache(maxsize=1)
def content_security_policy() -> str:
    origin = urlsplit(get_settings().public_origin)
    ws_scheme = "wss" if origin.scheme == "https" else "ws"
    script_src = " ".join(["'self'", *inline_script_hashes(sorted(build_dir().rglob("*.html")))])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            # emotion (Radix) injects <style> tags at run time; styles cannot run code
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {ws_scheme}://{origin.netloc}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


def security_headers() -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", content_security_policy().encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),  # no-referrer makes form POSTs send Origin: null
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if get_settings().cookie_secure:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return headers


class SecurityHeadersMiddleware:
    """Adds :func:`security_headers` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in security_headers() if n not in existing]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
