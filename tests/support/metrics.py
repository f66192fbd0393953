"""Read the operator's /api/metrics as Prometheus does, and configure who may."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.core.settings import get_settings

TOKEN = "scrape-token-0123456789-abcdefghijklmnop"  # 40 characters


def value(text: str, name: str, **labels: str) -> float:
    """The sample ``name{labels}`` of the exposition ``text`` (0 when it is not there)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


def grew(before: str, after: str, name: str, **labels: str) -> float:
    """How much the sample grew between two scrapes."""
    return value(after, name, **labels) - value(before, name, **labels)


@contextmanager
def metrics_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Iterator[None]:
    """OGP_METRICS_* (and other) settings for the block: e.g. ``METRICS_TOKEN=...``."""
    for name, setting in env.items():
        monkeypatch.setenv(f"OGP_{name}", setting)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for name in env:
            monkeypatch.delenv(f"OGP_{name}")
        get_settings.cache_clear()


def client(peer: str = "203.0.113.7") -> TestClient:
    """The API as the app serves it, seen from the client address ``peer``."""
    return TestClient(
        SecurityHeadersMiddleware(build_api()),
        base_url="http://localhost:3000",
        client=(peer, 50000),
        follow_redirects=False,
    )


def scrape(peer: str = "203.0.113.7", token: str = TOKEN) -> str:
    response = client(peer).get("/api/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.status_code
    return response.text
