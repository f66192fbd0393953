"""Security headers over plain HTTP on pages and API routes of the production build."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import RunningApp

PATHS = ["/", "/login", "/api/health", "/app", "/does-not-exist"]
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def _csp(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


@pytest.fixture(scope="module", params=PATHS)
def response(request: pytest.FixtureRequest, running_app: RunningApp) -> httpx.Response:
    return httpx.get(f"{running_app.base_url}{request.param}", timeout=10, follow_redirects=False)


def test_content_security_policy(response: httpx.Response) -> None:
    header = response.headers.get("content-security-policy")
    assert header, f"{response.url}: no Content-Security-Policy"
    csp = _csp(header)
    assert csp.get("default-src") == ["'self'"], header
    assert csp.get("frame-ancestors") == ["'none'"], header
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src, header
    assert not {"*", "http:", "https:", "data:"} & set(script_src), header
    assert csp.get("object-src") == ["'none'"], header


def test_nosniff(response: httpx.Response) -> None:
    assert response.headers.get("x-content-type-options") == "nosniff", response.url


def test_referrer_policy(response: httpx.Response) -> None:
    assert response.headers.get("referrer-policy") in SAFE_REFERRER_POLICIES, response.url


def test_not_framable(response: httpx.Response) -> None:
    assert response.headers.get("x-frame-options", "").upper() == "DENY", response.url
