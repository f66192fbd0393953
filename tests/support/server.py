"""Start the real production build of the app (``reflex run --env prod``) for browser and socket tests."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ogp_app.core.settings import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningApp:
    base_url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    web_dir: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.web_dir, ignore_errors=True)


def app_environment(
    *, database_url: str, port: int, secret_key: str, ogp_env: str, extra_env: dict[str, str] | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OGP_", "REFLEX_"))}
    tools = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    venv_bin = PROJECT_ROOT / ".venv" / "bin"
    env.update(
        PATH=f"{tools}:{venv_bin}:{env.get('PATH', '')}",
        OGP_ENV=ogp_env,
        OGP_DATABASE_URL=database_url,
        OGP_SECRET_KEY=secret_key,
        OGP_PUBLIC_BASE_URL=f"http://localhost:{port}",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        NPM_CONFIG_REGISTRY="https://registry.npmjs.org",
    )
    env.update(extra_env or {})
    return env


def start_app(
    *,
    database_url: str,
    secret_key: str,
    ogp_env: str = "development",
    extra_env: dict[str, str] | None = None,
) -> RunningApp:
    """Build and serve the app on a free port; returns once /api/health answers 200.

    Each server builds into a web folder of its own (REFLEX_WEB_WORKDIR; about 15 s, bun's package
    cache is shared): the build holds the server's port, so a second server building into a shared
    .web would make the first serve pages whose websocket dials the second, under a CSP that no
    longer matches their inline scripts. A file lock keeps two builds from competing for the CPU.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _start_app(
            database_url=database_url, secret_key=secret_key, ogp_env=ogp_env, extra_env=extra_env
        )


def _start_app(
    *, database_url: str, secret_key: str, ogp_env: str, extra_env: dict[str, str] | None
) -> RunningApp:
    port = free_port()
    log_path = ARTIFACTS / f"app-server-{port}.log"
    web_dir = ARTIFACTS / f"web-{port}"
    shutil.rmtree(web_dir, ignore_errors=True)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            str(PROJECT_ROOT / ".venv" / "bin" / "reflex"),
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--backend-host",
            "127.0.0.1",
            "--loglevel",
            "warning",
        ],
        cwd=PROJECT_ROOT,
        env=app_environment(
            database_url=database_url,
            port=port,
            secret_key=secret_key,
            ogp_env=ogp_env,
            extra_env={"REFLEX_WEB_WORKDIR": str(web_dir), **(extra_env or {})},
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app = RunningApp(
        base_url=f"http://localhost:{port}", port=port, process=process, log_path=log_path, web_dir=web_dir
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited early; see {log_path}:\n{log_path.read_text()[-3000:]}")
        try:
            # the page itself must be served too (the frontend build is mounted last)
            healthy = httpx.get(f"{app.base_url}/api/health", timeout=2).status_code == 200
            if healthy and httpx.get(f"{app.base_url}/", timeout=5).status_code == 200:
                return app
        except httpx.HTTPError:
            pass
        time.sleep(1)
    app.stop()
    raise RuntimeError(f"app did not come up within 600 s; see {log_path}")


TRUSTED_PROXY = "127.0.0.2"
LIMITED_ADDRESS_BURST, LIMITED_ADDRESS_RATE = 100, 2


def start_limited_app(*, database_url: str, secret_key: str) -> RunningApp:
    """The app with the websocket limits on (the shared test server runs without them): the defaults,
    except a small address budget (three connections can exhaust it) and 127.0.0.2 as a trusted proxy."""
    return start_app(
        database_url=database_url,
        secret_key=secret_key,
        extra_env={
            "OGP_TRUSTED_PROXIES": TRUSTED_PROXY,
            "OGP_WEBSOCKET_ADDRESS_EVENT_BURST": str(LIMITED_ADDRESS_BURST),
            "OGP_WEBSOCKET_ADDRESS_EVENTS_PER_SECOND": str(LIMITED_ADDRESS_RATE),
        },
    )
