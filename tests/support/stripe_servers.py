"""Stripe doubles that are real servers: localstripe (stateful), and a small recording server answering
with Stripe's documented shapes for what localstripe lacks (Checkout, Customer Portal, prices, tax rates).

Both record what they were sent, so tests can assert what Stripe would have learnt.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

import httpx
import stripe

from ogp_app.core.settings import PROJECT_ROOT
from tests.support.server import free_port

WEBHOOK_SECRET = "whsec_test_" + "k3y" * 8


def signed(
    payload: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    """A webhook body and its ``Stripe-Signature`` header, made with Stripe's own scheme."""
    body = json.dumps(payload)
    stamp = int(time.time()) if timestamp is None else timestamp
    header = stripe.WebhookSignature.generate_signature_header(body, secret, stamp)
    return body.encode(), header


def event(event_id: str, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "api_version": stripe.api_version,
        "data": {"object": obj},
    }


@dataclass
class Recorded:
    method: str
    path: str
    body: str  # form-encoded, as the SDK sends it

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body, keep_blank_values=True))

    @property
    def text(self) -> str:
        """Everything sent, decoded: what a test searches for personal data."""
        return unquote_plus(self.path) + "\n" + unquote_plus(self.body)


@dataclass
class FakeStripe:
    """Answers the calls billing makes with the shapes in Stripe's API reference."""

    base_url: str
    requests: list[Recorded] = field(default_factory=list)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def sent(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.split("?")[0] == path]


def _subscription(sub_id: str, form: dict[str, str], now: int) -> dict[str, Any]:
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": form.get("customer", "cus_fake"),
        "status": "active",
        "collection_method": form.get("collection_method", "charge_automatically"),
        "cancel_at_period_end": False,
        "metadata": {
            "ogp_school_id": form.get("metadata[ogp_school_id]", ""),
            "pupil_count": form.get("metadata[pupil_count]", ""),
        },
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_fake",
                    "object": "subscription_item",
                    "quantity": 1,
                    "current_period_start": now,
                    "current_period_end": now + 365 * 86400,
                    "price": {
                        "id": "price_fake",
                        "object": "price",
                        "unit_amount": int(form.get("items[0][price_data][unit_amount]", "0")),
                        "currency": "eur",
                    },
                }
            ],
        },
    }


def _answer(fake: FakeStripe, method: str, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    now = int(time.time())
    n = len(fake.requests)
    if method == "POST" and path == "/v1/customers":
        return 200, {"id": f"cus_fake{n}", "object": "customer", "name": form.get("name")}
    if method == "POST" and path.startswith("/v1/customers/"):
        return 200, {"id": path.rsplit("/", 1)[1], "object": "customer"}
    if method == "GET" and path.startswith("/v1/products/"):
        return 200, {"id": path.rsplit("/", 1)[1], "object": "product", "active": True}
    if method == "GET" and path == "/v1/tax_rates":
        return 200, {"object": "list", "data": [], "has_more": False, "url": "/v1/tax_rates"}
    if method == "POST" and path == "/v1/tax_rates":
        return 200, {"id": "txr_fake", "object": "tax_rate", "percentage": 21.0, "inclusive": False}
    if method == "POST" and path == "/v1/checkout/sessions":
        return 200, {
            "id": f"cs_test_fake{n}",
            "object": "checkout.session",
            "mode": "subscription",
            "status": "open",
            "customer": form.get("customer"),
            "client_reference_id": form.get("client_reference_id"),
            "url": f"https://checkout.stripe.com/c/pay/cs_test_fake{n}",
        }
    if method == "POST" and path == "/v1/billing_portal/sessions":
        return 200, {
            "id": f"bps_fake{n}",
            "object": "billing_portal.session",
            "customer": form.get("customer"),
            "return_url": form.get("return_url"),
            "url": f"https://billing.stripe.com/p/session/test_fake{n}",
        }
    if method == "POST" and path == "/v1/subscriptions":
        sub = _subscription(f"sub_fake{n}", form, now)
        fake.subscriptions[sub["id"]] = sub
        return 200, sub
    if path.startswith("/v1/subscriptions/"):
        found = fake.subscriptions.get(path.rsplit("/", 1)[1])
        if found is None:
            return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing"}}
        if method == "POST" and form.get("cancel_at_period_end") == "true":
            found["cancel_at_period_end"] = True
        return 200, found
    return 404, {"error": {"type": "invalid_request_error", "message": f"no fake for {method} {path}"}}


@contextmanager
def fake_stripe() -> Iterator[FakeStripe]:
    port = free_port()
    fake = FakeStripe(base_url=f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            path = self.path
            query = urlsplit(path).query
            fake.requests.append(Recorded(self.command, path, body or query))
            status, payload = _answer(fake, self.command, urlsplit(path).path, dict(parse_qsl(body)))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", "req_fake")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class LocalStripe:
    base_url: str
    process: subprocess.Popen[bytes]

    def client(self, http_client: Any = None) -> stripe.StripeClient:
        kwargs: dict[str, Any] = {"base_addresses": {"api": self.base_url}}
        if http_client is not None:
            kwargs["http_client"] = http_client
        return stripe.StripeClient("sk_test_localstripe", **kwargs)

    def register_webhook(self, url: str, events: list[str], secret: str = WEBHOOK_SECRET) -> None:
        """localstripe signs and posts these event types to ``url`` (about a second after each)."""
        data = {"url": url, "secret": secret, **{f"events[{i}]": name for i, name in enumerate(events)}}
        response = httpx.post(f"{self.base_url}/_config/webhooks/ogp", data=data, timeout=10)
        response.raise_for_status()


@contextmanager
def running_localstripe() -> Iterator[LocalStripe]:
    port = free_port()
    process = subprocess.Popen(
        [str(PROJECT_ROOT / ".venv" / "bin" / "localstripe"), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/v1/customers", headers={"Authorization": "Bearer sk_test_x"}, timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.2)
        yield LocalStripe(base_url=base, process=process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)


class RecordingHttpClient(stripe.RequestsClient):
    """The SDK's own HTTP client, recording every request it sends (the privacy test reads these)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Recorded] = []

    def request(self, method: str, url: str, headers: Any, post_data: Any = None, **kwargs: Any) -> Any:
        body = post_data.decode() if isinstance(post_data, bytes) else str(post_data or "")
        self.sent.append(Recorded(method.upper(), urlsplit(url).path + "?" + urlsplit(url).query, body))
        return super().request(method, url, headers, post_data, **kwargs)
