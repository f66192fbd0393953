"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against the production build.

Every page opened through :func:`open_page` is watched: each request and websocket must go to the app's
own origin, and the console must stay free of errors (a CSP violation is a console error, "Refused to
..."). The watch is asserted by the tests (``watch.assert_clean()``) and once more at teardown, so a test
that forgets still fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    WebSocket,
    sync_playwright,
)

from tests.support.server import ARTIFACTS, RunningApp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
SCREENSHOTS = ARTIFACTS / "screenshots"
# URLs that never leave the browser.
_LOCAL_SCHEMES = {"data", "blob", "about"}


@dataclass
class PageWatch:
    """What one page did on the network and in its console."""

    app_host: str
    app_port: int
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    hydrations: int = 0

    def is_own(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in _LOCAL_SCHEMES:
            return True
        return (
            parts.scheme in {"http", "https", "ws", "wss"}
            and parts.hostname == self.app_host
            and parts.port == self.app_port
        )

    def foreign_requests(self) -> list[str]:
        return [url for url in [*self.requests, *self.websockets] if not self.is_own(url)]

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_websocket(self, ws: WebSocket) -> None:
        self.websockets.append(ws.url)
        ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        # Reflex ends hydration (initial state plus the page's on_load handlers) with this delta.
        if isinstance(payload, str) and '"is_hydrated_rx_state_":true' in payload:
            self.hydrations += 1

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            self.console_errors.append(f"{message.text} (at {location.get('url', '?')})")

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def problems(self) -> list[str]:
        found = [f"request to another host: {url}" for url in self.foreign_requests()]
        found += [f"console error: {text}" for text in self.console_errors]
        found += [f"uncaught page error: {text}" for text in self.page_errors]
        return found

    def reset(self) -> None:
        """Forget what was seen so far (for tests that provoke a problem on purpose)."""
        self.requests.clear()
        self.websockets.clear()
        self.console_errors.clear()
        self.page_errors.clear()

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the page misbehaved:\n  " + "\n  ".join(problems)
        assert self.requests, "no request was recorded at all: the watch is not attached"


@dataclass
class WatchedPage:
    page: Page
    context: BrowserContext
    watch: PageWatch
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Response:
        """Load ``path`` and wait until the server has hydrated the page's state."""
        with self.expect_page_load():
            response = self.page.goto(self.url(path), wait_until="networkidle")
        assert response is not None and response.ok, f"GET {path} -> {response and response.status}"
        return response

    def reload(self) -> None:
        with self.expect_page_load():
            self.page.reload(wait_until="networkidle")

    @contextmanager
    def expect_page_load(self, timeout_ms: int = 20_000) -> Iterator[None]:
        """Wrap an action that loads a page (goto, a form POST, reload); returns once it is hydrated.

        Before hydration a Reflex page shows the defaults compiled into the HTML (e.g. signed out,
        Dutch), so assertions about server state must wait for this.
        """
        before = self.watch.hydrations
        yield
        waited = 0
        while self.watch.hydrations <= before:
            assert waited < timeout_ms, f"{self.page.url}: the websocket never finished hydrating the page"
            self.page.wait_for_timeout(50)
            waited += 50


OpenPage = Callable[..., WatchedPage]
BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page: Page, label: str) -> None:
    """axe-core finds no violation of impact serious or critical on the page as it is now."""
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    lines = [
        f"{v['id']} ({v['impact']}): {v.get('help', '')}; nodes: "
        + ", ".join(" ".join(map(str, node.get("target", []))) for node in v.get("nodes", []))
        for v in blocking
    ]
    assert not blocking, f"axe-core on {label}:\n  " + "\n  ".join(lines)


def save_screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_no_horizontal_overflow(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"horizontal overflow at {width}px: scrollWidth is {scroll_width}px"


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_page(chromium: Browser, running_app: RunningApp) -> Iterator[OpenPage]:
    """Open watched pages (each in its own browser context); their watches are asserted at teardown."""
    opened: list[WatchedPage] = []
    host = urlsplit(running_app.base_url).hostname or "localhost"

    def _open(viewport: dict[str, int] | None = None, *, bypass_csp: bool = False) -> WatchedPage:
        context = chromium.new_context(
            viewport=viewport or DESKTOP,  # type: ignore[arg-type]
            locale="nl-NL",
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        watch = PageWatch(app_host=host, app_port=running_app.port)
        page.on("request", watch.on_request)
        page.on("websocket", watch.on_websocket)
        page.on("console", watch.on_console)
        page.on("pageerror", watch.on_page_error)
        watched = WatchedPage(page=page, context=context, watch=watch, base_url=running_app.base_url)
        opened.append(watched)
        return watched

    yield _open

    problems: list[str] = []
    for watched in opened:
        problems += watched.watch.problems()
        watched.context.close()
    assert not problems, "a page misbehaved:\n  " + "\n  ".join(problems)


@pytest.fixture
def app_page(open_page: OpenPage) -> WatchedPage:
    """One watched page at desktop size."""
    return open_page(DESKTOP)
