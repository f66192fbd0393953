"""Billing over HTTP: Stripe's webhook and the local invoice PDF.

The webhook carries no cookie and no Origin: its one gate is Stripe's signature over the raw body
(``stripe.Webhook.construct_event``; a bad signature or a timestamp older than 5 minutes is a 400).
The PDF is for the admin of the invoice's school only and is never cached.
"""

from __future__ import annotations

import json

import stripe
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ogp_app.api.cookies import session_token
from ogp_app.core.db import school_session
from ogp_app.core.settings import get_settings
from ogp_app.integrations.stripe_gateway import GatewayError, gateway_from_settings
from ogp_app.models import Invoice, Role
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.billing.invoice_pdf import render_invoice_pdf
from ogp_app.services.billing.webhooks import handle_event

WEBHOOK_PATH = "/api/stripe/webhook"
MAX_WEBHOOK_BYTES = 512 * 1024
SIGNATURE_TOLERANCE_SECONDS = 300
NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


def _plain(text: str, status: int) -> Response:
    return PlainTextResponse(text, status_code=status, headers=NO_STORE)


async def stripe_webhook(request: Request) -> Response:
    settings = get_settings()
    if not settings.stripe_enabled or settings.stripe_webhook_secret is None:
        return _plain("billing runs locally", 404)
    if int(request.headers.get("content-length") or 0) > MAX_WEBHOOK_BYTES:
        return _plain("payload too large", 413)
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        return _plain("payload too large", 413)
    try:
        stripe.Webhook.construct_event(
            body,
            request.headers.get("stripe-signature"),
            settings.stripe_webhook_secret.get_secret_value(),
            tolerance=SIGNATURE_TOLERANCE_SECONDS,
        )
        event = json.loads(body)
    except (ValueError, stripe.SignatureVerificationError):
        return _plain("invalid signature or payload", 400)
    if not isinstance(event, dict):
        return _plain("invalid payload", 400)
    try:
        outcome = await run_in_threadpool(
            handle_event, event, gateway=gateway_from_settings(settings), now=utcnow()
        )
    except GatewayError:
        return _plain("stripe unreachable; retry later", 503)  # Stripe retries the delivery
    return JSONResponse({"received": True, "outcome": outcome}, headers=NO_STORE)


def _invoice_for_admin(token: str | None, invoice_id: int) -> tuple[int, Invoice | None]:
    """(HTTP status, invoice): 401 signed out, 403 not this school's admin, 404 not this school's."""
    identity = resolve_session(token)
    if identity is None:
        return 401, None
    if (
        identity.school_id is None
        or Role.SCHOOL_ADMIN.value not in identity.roles
        or identity.must_enrol_second_factor
    ):
        return 403, None
    with school_session(identity.school_id) as db:
        invoice = db.exec(
            select(Invoice).where(Invoice.id == invoice_id, Invoice.school_id == identity.school_id)
        ).first()
    return (200, invoice) if invoice is not None else (404, None)


async def invoice_pdf(request: Request) -> Response:
    raw_id = str(request.path_params.get("invoice_id", ""))
    if not raw_id.isdigit() or len(raw_id) > 12:
        return _plain("not found", 404)
    status, invoice = await run_in_threadpool(_invoice_for_admin, session_token(request), int(raw_id))
    if invoice is None:
        return _plain({401: "sign in first", 403: "school admins only"}.get(status, "not found"), status)
    if invoice.stripe_pdf_url:
        return RedirectResponse(invoice.stripe_pdf_url, status_code=303, headers=NO_STORE)
    pdf = await run_in_threadpool(render_invoice_pdf, invoice)
    filename = f"factuur-{invoice.number}.pdf"
    headers = {**NO_STORE, "content-disposition": f'attachment; filename="{filename}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def billing_routes() -> list[Route]:
    return [
        Route(WEBHOOK_PATH, stripe_webhook, methods=["POST"]),
        Route("/api/billing/invoices/{invoice_id}/pdf", invoice_pdf, methods=["GET"]),
    ]
