"""The app behind the shipped Caddy configuration (deploy/Caddyfile), as a visitor meets it in production.

Caddy runs deploy/Caddyfile itself, on a free port over plain HTTP: its site address comes from the
``OGP_DOMAIN`` placeholder, and ``http://localhost:<port>`` instead of a domain name is the one
difference from a server with TLS. The app behind it is the production build on 127.0.0.1 with Caddy's
address as its trusted proxy and Caddy's address as its public URL, as deploy/README.md sets them up.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from ogp_app.core.db import unscoped
from ogp_app.core.settings import PROJECT_ROOT
from ogp_app.models import RateLimitHit
from ogp_app.services.auth.rate_limit import limit_key
from tests.conftest import TEST_SECRET_KEY
from tests.e2e.conftest import WatchedPage
from tests.e2e.journeys import main_heading, text
from tests.support.server import ARTIFACTS, RunningApp, free_port, start_app

pytestmark = pytest.mark.e2e

CADDYFILE = PROJECT_ROOT / "deploy" / "Caddyfile"
# A visitor on an address of its own, as the app must see it; Caddy talks to the app from 127.0.0.1.
VISITOR = "127.0.0.3"
APP_HEADERS = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "permissions-policy",
    "cross-origin-opener-policy",
]


@dataclasses.dataclass
class BehindCaddy:
    app: RunningApp
    caddy_url: str  # what the visitor types
    caddy_port: int


def _start_caddy(*, port: int, upstream_port: int, workdir: Path) -> subprocess.Popen[bytes]:
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "XDG_DATA_HOME": str(workdir),  # certificates and autosave stay in the test's folder
        "XDG_CONFIG_HOME": str(workdir),
        "OGP_DOMAIN": f"http://localhost:{port}",
        "OGP_ACME_EMAIL": "beheer@example.org",
        "OGP_UPSTREAM": f"127.0.0.1:{upstream_port}",
        "OGP_CADDY_ADMIN": "off",  # a second Caddy on this machine may hold localhost:2019
    }
    log = (workdir / "caddy.log").open("wb")
    return subprocess.Popen(
        ["caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def behind_caddy(migrated_database: str) -> Iterator[BehindCaddy]:
    caddy_port = free_port()
    caddy_url = f"http://localhost:{caddy_port}"
    app = start_app(
        database_url=migrated_database,
        secret_key=TEST_SECRET_KEY,
        ogp_env="test",
        extra_env={"OGP_PUBLIC_BASE_URL": caddy_url, "OGP_TRUSTED_PROXIES": "127.0.0.1"},
    )
    workdir = ARTIFACTS / f"caddy-{caddy_port}"
    caddy = _start_caddy(port=caddy_port, upstream_port=app.port, workdir=workdir)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert caddy.poll() is None, (workdir / "caddy.log").read_text()[-3000:]
            try:
                if httpx.get(f"{caddy_url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (workdir / "caddy.log").read_text()[-3000:]
            time.sleep(0.2)  # polling for Caddy to listen, not waiting out a time
        yield BehindCaddy(app=app, caddy_url=caddy_url, caddy_port=caddy_port)
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)
        app.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def running_app(behind_caddy: BehindCaddy) -> RunningApp:
    """What the browser fixtures open and watch: the app at Caddy's address (every request must go there)."""
    caddy = behind_caddy
    return dataclasses.replace(caddy.app, base_url=caddy.caddy_url, port=caddy.caddy_port)


def test_pages_and_files_come_through_caddy_with_the_apps_own_headers(behind_caddy: BehindCaddy) -> None:
    through = httpx.get(f"{behind_caddy.caddy_url}/login/", headers={"Accept-Encoding": "gzip"})
    direct = httpx.get(f"{behind_caddy.app.base_url}/login/")
    assert through.status_code == 200 and direct.status_code == 200
    for name in APP_HEADERS:  # one definition: the app's, passed on unchanged and not doubled
        assert through.headers.get_list(name) == direct.headers.get_list(name), name
    csp = through.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert f"connect-src 'self' ws://localhost:{behind_caddy.caddy_port}" in csp
    assert through.headers.get_list("strict-transport-security") == ["max-age=31536000; includeSubDomains"]
    assert through.headers.get("content-encoding") == "gzip"  # Caddy compresses the pages

    script = re.search(r'<link rel="modulepreload" href="(/[^"]+\.js)"', through.text)
    assert script, "the page names no script file"
    asset = httpx.get(f"{behind_caddy.caddy_url}{script.group(1)}")
    assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
    assert asset.headers["content-security-policy"] == csp
    assert asset.headers["x-content-type-options"] == "nosniff"


def test_a_page_event_travels_over_the_websocket_through_caddy(app_page: WatchedPage) -> None:
    page = app_page.page
    app_page.goto("/")  # returns once the websocket has hydrated the page
    expect(main_heading(app_page)).to_have_text(text("landing.title", "nl"))
    page.locator("#lang-en").click()  # an event to the backend and its answer, both over the socket
    expect(main_heading(app_page)).to_have_text(text("landing.title", "en"))
    assert app_page.watch.websockets, "the page opened no websocket"
    caddy_socket = f"ws://localhost:{app_page.watch.app_port}/_event"
    assert all(url.startswith(caddy_socket) for url in app_page.watch.websockets)
    app_page.watch.assert_clean()  # every request went to Caddy's address; no CSP refusal in the console


def _login_failure_counted_for(address: str) -> bool:
    with unscoped() as db:
        keys = set(db.exec(select(RateLimitHit.key)).all())
    return limit_key("login:ip", address) in keys


def test_the_app_counts_the_visitors_address_not_caddys(behind_caddy: BehindCaddy, clean_db: None) -> None:
    visitor = httpx.Client(transport=httpx.HTTPTransport(local_address=VISITOR))
    response = visitor.post(
        f"http://127.0.0.1:{behind_caddy.caddy_port}/api/auth/login",
        headers={"Host": f"localhost:{behind_caddy.caddy_port}", "X-Forwarded-For": "203.0.113.9"},
        data={"email": "nobody@example.org", "password": "not the password at all"},
    )
    assert response.status_code == 303  # back to the log-in page with the refusal
    assert _login_failure_counted_for(VISITOR)  # the log-in limit per address counts the visitor
    assert not _login_failure_counted_for("127.0.0.1")  # not Caddy, whom every visitor shares
    assert not _login_failure_counted_for("203.0.113.9")  # nor an address the visitor claims


def test_uploads_reach_the_apps_guard_and_oversized_bodies_stop_at_caddy(behind_caddy: BehindCaddy) -> None:
    anonymous = httpx.post(f"{behind_caddy.caddy_url}/_upload", files={"files": ("r.csv", b"a;b\n")})
    assert anonymous.status_code == 401  # the app's upload guard answered: no school admin signed in

    def chunks(total: int) -> Iterator[bytes]:  # no Content-Length: only counting the body can stop it
        for _ in range(total // 65536):
            yield b"x" * 65536

    oversized = httpx.post(
        f"{behind_caddy.caddy_url}/api/auth/login",
        content=chunks(2 * 1024 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert oversized.status_code == 413
