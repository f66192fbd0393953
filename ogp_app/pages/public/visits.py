"""Counting page loads for the visit statistics: an on_load handler of the public pages.

Why an on_load handler: Reflex pages form a single-page app, so an HTTP middleware would see only the
first load of a visit, not the pages opened after it. The handler runs on the server for every page
shown; it reads no cookie and sets none, and passes the address and user agent only into the day's
salted hash (:mod:`ogp_app.services.staff.analytics`). Only the public pages listed here are counted; a
client naming any other path is ignored.
"""

from __future__ import annotations

import reflex as rx

from ogp_app.models.base import utcnow
from ogp_app.services.staff import analytics
from ogp_app.state.base import AppState

COUNTED_PATHS = frozenset({"/", "/privacy", "/contact", "/faq", "/reviews", "/login", "/signup"})


class VisitState(AppState):
    """No vars: counting sends nothing back to the browser."""

    @rx.event
    def count_visit(self) -> None:
        """Runs on the event loop, not in a worker thread (no ``_call_public``): it is one small write,
        and an async handler would let a flooding tab queue events faster than they run, so the
        websocket guard's limit on waiting events would cut it off before its rate limit (and a fast
        parent's burst of 20 taps too: tests/security/test_websocket_flood.py). The service opens its
        own session and logs a database error instead of raising it."""
        path = self.router.url.path.rstrip("/") or "/"
        if path not in COUNTED_PATHS:
            return
        analytics.count_page_view(
            path=path,
            client=self.router.session.client_ip or "",
            browser=self.router.headers.user_agent or "",
            now=utcnow(),
        )
