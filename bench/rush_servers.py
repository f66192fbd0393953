"""The servers the websocket rush bench starts with --start: OGP's production build (memory state on one
worker, or Redis state on N workers) and the minimal Reflex app of bench/noop_app, each with the same
Reflex, its own web folder and port, and its backend worker processes found for the CPU meter."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import redis

from tests.support.server import ARTIFACTS, RunningApp, free_port, start_app

NOOP_APP = Path(__file__).resolve().parent / "noop_app"
ROOT = NOOP_APP.parent.parent

# Every bench parent connects from 127.0.0.1: the per-address, per-session and per-connection websocket
# budgets would refuse them (they guard against one client's flood, which this is not).
UNLIMITED_WEBSOCKET = {
    f"OGP_WEBSOCKET_{name}": "100000"
    for name in (
        "ADDRESS_EVENT_BURST",
        "ADDRESS_EVENTS_PER_SECOND",
        "SESSION_EVENT_BURST",
        "SESSION_EVENTS_PER_SECOND",
        "EVENT_BURST",
        "EVENTS_PER_SECOND",
    )
}


@dataclass
class Server:
    """A started app: its address, its backend workers and the state hashes its pages send on boot."""

    label: str
    app: RunningApp
    workers: list[int]

    @property
    def url(self) -> str:
        return self.app.base_url

    def initial_hashes(self) -> list[str]:
        return initial_hashes(self.app.web_dir)

    def stop(self) -> None:
        self.app.stop()


def initial_hashes(web_dir: Path) -> list[str]:
    """The per-state hashes of the built frontend's initial state, which a browser sends with its first
    hydrate so the server leaves out the states still at their defaults ([] when not found)."""
    context = web_dir / "utils" / "context.jsx"
    found = re.search(r"initialStateHashes = (\[[^\]]*\])", context.read_text()) if context.exists() else None
    return re.findall(r'"([0-9a-f]+)"', found.group(1)) if found else []


def backend_workers(app: RunningApp, count: int, wait: float = 120.0) -> list[int]:
    """The backend worker pids: the supervisor's children that are forks of it (same command line)."""
    supervisor = psutil.Process(app.process.pid)
    deadline = time.monotonic() + wait
    while True:
        workers = [c.pid for c in supervisor.children() if c.cmdline() == supervisor.cmdline()]
        if len(workers) == count or time.monotonic() > deadline:
            break
        time.sleep(0.5)  # polling for the forks, not waiting out a time
    if len(workers) != count:
        raise RuntimeError(f"{app.base_url}: expected {count} backend workers, found {workers}")
    return sorted(workers)


def start_ogp(*, database_url: str, redis_url: str | None, workers: int) -> Server:
    """OGP's production build as tests/support/server.py starts it, with the bench's websocket budgets."""
    env = {**UNLIMITED_WEBSOCKET, "GRANIAN_WORKERS": str(workers)}
    if redis_url:
        env["OGP_REDIS_URL"] = redis_url
    app = start_app(database_url=database_url, secret_key=os.urandom(32).hex(), extra_env=env)
    try:
        pids = backend_workers(app, workers)
    except Exception:
        app.stop()
        raise
    return Server(f"ogp workers={workers} state={'redis' if redis_url else 'memory'}", app, pids)


def start_noop() -> Server:
    """bench/noop_app, built and served like OGP (``reflex run --env prod --single-port``)."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path, web_dir = ARTIFACTS / f"noop-server-{port}.log", ARTIFACTS / f"web-noop-{port}"
    shutil.rmtree(web_dir, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OGP_", "REFLEX_", "GRANIAN_"))}
    env.update(
        PATH=f"{ROOT / '.tools/node_modules/.bin'}:{ROOT / '.venv/bin'}:{env.get('PATH', '')}",
        REFLEX_WEB_WORKDIR=str(web_dir),
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        NPM_CONFIG_REGISTRY="https://registry.npmjs.org",
        GRANIAN_WORKERS="1",
    )
    command = [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--single-port"]
    command += ["--frontend-port", str(port), "--backend-host", "127.0.0.1", "--loglevel", "warning"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=NOOP_APP, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    app = RunningApp(f"http://localhost:{port}", port, process, log_path, web_dir)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{app.base_url}/", timeout=5).status_code == 200:
                return Server("noop workers=1 state=memory", app, backend_workers(app, 1))
        except httpx.HTTPError:
            pass
        time.sleep(1)  # polling for the build, not waiting out a time
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"the no-op app did not come up; see {log_path}")


def flush_redis(url: str) -> None:
    """Empty the one Redis database the bench was given (an earlier run's states and locks)."""
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
