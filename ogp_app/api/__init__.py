"""HTTP routes mounted in front of Reflex (``rx.App(api_transformer=...)``)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from ogp_app.api.agreement import agreement_routes
from ogp_app.api.auth import auth_routes
from ogp_app.api.billing import WEBHOOK_PATH, billing_routes
from ogp_app.api.health import health
from ogp_app.api.metrics import METRICS_PATH, metrics_route
from ogp_app.api.oidc import oidc_routes
from ogp_app.api.origin_check import OriginCheckMiddleware
from ogp_app.api.privacy import privacy_routes
from ogp_app.api.round_exports import round_export_routes
from ogp_app.api.security_headers import SecurityHeadersMiddleware
from ogp_app.api.unavailable import DATABASE_DOWN, unavailable_response


def build_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/api/health", health, methods=["GET"]),
            Route(METRICS_PATH, metrics_route, methods=["GET"]),
            *auth_routes(),
            *oidc_routes(),
            *billing_routes(),
            *agreement_routes(),
            *privacy_routes(),
            *round_export_routes(),
        ],
        middleware=[Middleware(OriginCheckMiddleware, exempt=(WEBHOOK_PATH,))],
        exception_handlers=dict.fromkeys(DATABASE_DOWN, unavailable_response),
    )


__all__ = ["OriginCheckMiddleware", "SecurityHeadersMiddleware", "build_api"]
