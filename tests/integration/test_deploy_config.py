"""The files in deploy/ as their own tools read them: Caddy's validator and adapter, systemd's verifier,
and the app's settings; and their numbers against the app's own limits, so that neither drifts."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ogp_app.api.upload_guard import OTHER_MULTIPART_BODY
from ogp_app.core.settings import PROJECT_ROOT, Settings
from ogp_app.services.roster_import.limits import MAX_UPLOAD_BODY, READ_SECONDS
from tests.support.server import free_port

DEPLOY = PROJECT_ROOT / "deploy"
CADDYFILE = DEPLOY / "Caddyfile"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))
INSTALLED_CHECKOUT = "/opt/ogp/app"
NANOSECONDS = 1_000_000_000
# The app's security headers: the app sets them (ogp_app/api/security_headers.py); Caddy must not.
APP_HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "permissions-policy",
    "cross-origin-opener-policy",
}


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed (make caddy installs Caddy; systemd-analyze comes with systemd)"
    return path


def _caddy_env(tmp_path: Path, **placeholders: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),  # certificates and autosave stay in the test's folder
        "XDG_CONFIG_HOME": str(tmp_path),
        "OGP_DOMAIN": "ogp.example.nl",
        "OGP_ACME_EMAIL": "beheer@example.nl",
        **placeholders,
    }


def _caddy(args: list[str], tmp_path: Path, **placeholders: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("caddy"), *args, "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=_caddy_env(tmp_path, **placeholders),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in Caddy's adapted configuration."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.fixture
def adapted(tmp_path: Path) -> dict[str, Any]:
    """deploy/Caddyfile as Caddy's JSON, with the placeholders of a real server and the default upstream."""
    result = _caddy(["adapt"], tmp_path)
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def test_the_caddyfile_is_valid_for_a_domain(tmp_path: Path) -> None:
    result = _caddy(["validate"], tmp_path)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Valid configuration" in output
    assert "enabling automatic HTTP->HTTPS redirects" in output


def test_caddy_serves_the_domain_over_https_and_only_proxies_to_the_app(adapted: dict[str, Any]) -> None:
    (server,) = adapted["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]  # with the redirect from :80 that Caddy adds itself
    (policy,) = adapted["apps"]["tls"]["automation"]["policies"]
    assert policy["subjects"] == ["ogp.example.nl"]
    handlers = [node for node in _walk(server) if "handler" in node]
    proxies = [h for h in handlers if h["handler"] == "reverse_proxy"]
    assert [u["dial"] for p in proxies for u in p["upstreams"]] == ["127.0.0.1:8000"]
    assert not [h for h in handlers if h["handler"] == "file_server"]  # the app serves its own build


def test_caddy_adds_none_of_the_apps_security_headers(adapted: dict[str, Any]) -> None:
    """On the app's answers, that is: Caddy's own answer while the app restarts is tested below."""
    (server,) = adapted["apps"]["http"]["servers"].values()
    set_by_caddy = {
        name.lower()
        for node in _walk(server["routes"])
        if node.get("handler") == "headers"
        for name in (node.get("response", {}).get("set") or {})
    }
    assert set_by_caddy == {"strict-transport-security"}  # and only where the app did not (see there)
    assert not set_by_caddy & APP_HEADERS


def test_caddys_body_limits_and_timeouts_match_the_apps(adapted: dict[str, Any]) -> None:
    limits = {}
    for node in _walk(adapted):
        for handler in node.get("handle", []):
            if handler.get("handler") == "request_body":
                (matcher,) = node["match"]
                limits["upload" if "path" in matcher else "other"] = handler["max_size"]
                paths = matcher.get("path") or matcher["not"][0]["path"]
                assert set(paths) == {"/_upload", "/_upload/*"}
    assert limits == {"upload": MAX_UPLOAD_BODY, "other": OTHER_MULTIPART_BODY}

    (proxy,) = [node for node in _walk(adapted) if node.get("handler") == "reverse_proxy"]
    # the roster reader may take READ_SECONDS before the upload's answer starts
    assert proxy["transport"]["response_header_timeout"] > READ_SECONDS * NANOSECONDS
    (server,) = adapted["apps"]["http"]["servers"].values()
    assert 0 < server["read_header_timeout"] <= 30 * NANOSECONDS
    assert "read_timeout" not in server and "write_timeout" not in server  # they would cut websockets


def test_while_the_app_restarts_visitors_read_why_in_both_languages(tmp_path: Path) -> None:
    """Caddy from the shipped file in front of a port where nothing listens (the app building itself)."""
    port, nothing_there = free_port(), free_port()
    env = {"OGP_DOMAIN": f"http://localhost:{port}", "OGP_UPSTREAM": f"127.0.0.1:{nothing_there}"}
    caddy = subprocess.Popen(
        [_tool("caddy"), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=_caddy_env(tmp_path, OGP_CADDY_ADMIN="off", **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answer = None
        for _ in range(100):  # polling for Caddy to listen, not waiting out a time
            try:
                answer = httpx.get(f"http://localhost:{port}/book")
                break
            except httpx.TransportError:
                time.sleep(0.1)
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)
    assert answer is not None, "Caddy did not listen"
    assert answer.status_code == 503 and answer.headers["retry-after"] == "30"
    assert "probeer het over een minuut nog eens" in answer.text and "try again in a minute" in answer.text
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_the_systemd_units_pass_systemd_analyze_verify() -> None:
    """systemd's own checks (keys, values, calendar specs, the units named by each other) pass. The only
    finding allowed is the one this machine cannot avoid: the programs live in the server's checkout."""
    result = subprocess.run(
        [_tool("systemd-analyze"), "verify", "--man=no", *map(str, UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    program = re.escape(f"{INSTALLED_CHECKOUT}/.venv/bin/")
    expected = re.compile(rf"^\S+: Command {program}\w+ is not executable: ")
    findings = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert [line for line in findings if not expected.match(line)] == []


def _unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def test_the_app_unit_serves_where_caddy_proxies_and_migrates_first() -> None:
    unit = _unit("ogp.service")
    (start,) = unit["ExecStart"]
    args = shlex.split(start)
    assert args[:4] == [f"{INSTALLED_CHECKOUT}/.venv/bin/reflex", "run", "--env", "prod"]
    host, port = args[args.index("--backend-host") + 1], args[args.index("--frontend-port") + 1]
    assert f"{host}:{port}" == "127.0.0.1:8000"  # Caddy's default upstream (checked above): not public
    assert unit["ExecStartPre"] == [f"{INSTALLED_CHECKOUT}/.venv/bin/ogp db upgrade"]
    assert unit["Restart"] == ["always"] and unit["User"] == ["ogp"]
    assert unit["ProtectSystem"] == ["strict"] and unit["NoNewPrivileges"] == ["yes"]
    (backup,) = _unit("ogp-backup.service")["ExecStart"]
    assert 'ogp backup --out "/var/backups/ogp/' in backup


def _example_settings() -> dict[str, tuple[str, bool]]:
    """OGP_* names in deploy/ogp.env.example: value (as systemd reads it: the quotes around it removed),
    and whether the line is set (not commented out)."""
    found = {}
    for line in (DEPLOY / "ogp.env.example").read_text().splitlines():
        match = re.match(r"^(#?)(OGP_[A-Z0-9_]+)=(.*)$", line)
        if match:
            value = match.group(3)
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            found[match.group(2)] = (value, not match.group(1))
    return found


def test_a_shell_reads_the_environment_file_as_systemd_does() -> None:
    """deploy/README.md loads it with `set -a; . /etc/ogp/ogp.env; set +a` for commands by hand."""
    result = subprocess.run(
        ["sh", "-c", 'set -a; . "$0"; set +a; env -0', str(DEPLOY / "ogp.env.example")],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 0, result.stderr
    from_shell = dict(item.split("=", 1) for item in result.stdout.split("\0") if item.startswith("OGP_"))
    assert from_shell == {name: value for name, (value, is_set) in _example_settings().items() if is_set}


def test_the_environment_file_lists_every_setting() -> None:
    listed = set(_example_settings())
    known = {f"OGP_{name.upper()}" for name in Settings.model_fields}
    assert listed - known == set(), "not settings of the app (typos?)"
    assert known - listed == set(), "settings missing from deploy/ogp.env.example"


def test_the_environment_file_makes_a_production_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"OGP_{name.upper()}", raising=False)
    for name, (value, is_set) in _example_settings().items():
        if is_set:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("OGP_SECRET_KEY", "x" * 48)  # the one blank an operator must fill to start
    settings = Settings()
    assert settings.env == "production"
    assert settings.public_origin.startswith("https://") and settings.cookie_secure
    assert settings.database_url.startswith("postgresql://") and settings.redis_url
    assert settings.trusted_proxies == ["127.0.0.1"]  # Caddy, on the same server
