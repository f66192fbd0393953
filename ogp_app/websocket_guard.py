"""Reflex's websocket behind the flood limits of ``core.websocket_limits``.

Reflex 0.10.1 queues every event a socket sends, without limit, and keeps processing them after the
socket has gone: 20,000 events in 10 s kept the backend busy for 106 s. Its ``EventNamespace`` is
replaced by a subclass that

* counts every socket event (and the connect with its boot event) against the connection's, the
  session's and the address's bucket, refuses events over ``websocket_max_event_bytes`` and more than
  ``websocket_max_pending_events`` queued or running per connection;
* on a refusal sends the page a notice (a state delta the page frame shows, in both languages: no
  script, the CSP allows no eval) and disconnects; a refused connect gets the notice as its error;
* on any disconnect cancels the connection's events that have not started (the running one finishes).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

import reflex as rx
from reflex.app import EventNamespace
from reflex.state import StateUpdate
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event.processor.future import EventFuture
from socketio.exceptions import ConnectionRefusedError as SocketConnectionRefused

from ogp_app.api.cookies import session_token_from_header
from ogp_app.core.metrics import count_refusal
from ogp_app.core.settings import Settings, get_settings
from ogp_app.core.websocket_limits import (
    BucketSize,
    FloodGuard,
    Limits,
    Refusal,
    client_address,
    parse_networks,
    session_key,
)
from ogp_app.i18n import LANGUAGES, normalise_language, translate
from ogp_app.state.base import LANGUAGE_COOKIE, AppState

logger = logging.getLogger(__name__)
_LIFECYCLE_EVENTS = frozenset({"connect", "disconnect"})


class _RefusalLog:
    """One log line a minute at most, counting: a client reconnecting in a loop must not fill the log.
    Every refusal is also counted in the operator's metrics (``ogp_limit_refusals_total``)."""

    def __init__(self, every_seconds: float = 60.0) -> None:
        self.every = every_seconds
        self.logged_at = -every_seconds
        self.count = 0

    def note(self, what: str, refusal: Refusal) -> None:
        count_refusal("websocket", refusal.value)
        self.count += 1
        now = time.monotonic()
        if now - self.logged_at >= self.every:
            logger.warning(
                "websocket: %d over a limit since the last report (latest: %s, %s)",
                self.count,
                what,
                refusal.value,
            )
            self.logged_at, self.count = now, 0


def limits_from(settings: Settings) -> Limits:
    s = settings
    return Limits(
        connection=BucketSize(s.websocket_event_burst, s.websocket_events_per_second),
        session=BucketSize(s.websocket_session_event_burst, s.websocket_session_events_per_second),
        address=BucketSize(s.websocket_address_event_burst, s.websocket_address_events_per_second),
        max_pending=s.websocket_max_pending_events,
        max_event_bytes=s.websocket_max_event_bytes,
    )


def wire_size(value: Any) -> int:
    """Bytes of ``value`` as JSON (what the client sent, give or take its spacing)."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return sys.maxsize
    return len(text.encode("utf-8", "surrogatepass"))


def notice_text(refusal: Refusal, limits: Limits, language: str, *, size: int = 0) -> str:
    if refusal is Refusal.TOO_LARGE:
        kib = limits.max_event_bytes // 1024
        return translate("flood.notice.size", language, size_kb=max(size // 1024, kib + 1), limit_kb=kib)
    if refusal is Refusal.TOO_MANY_PENDING:
        return translate("flood.notice.pending", language, limit=limits.max_pending)
    size_of = {Refusal.SESSION_RATE: limits.session, Refusal.ADDRESS_RATE: limits.address}
    bucket = size_of.get(refusal, limits.connection)
    key = "flood.notice.address" if refusal is Refusal.ADDRESS_RATE else "flood.notice.rate"
    return translate(key, language, burst=bucket.burst, per_second=f"{bucket.per_second:g}")


def _page_token(environ: dict) -> str | None:
    """The page's client token, which its (re)connects carry in the query string."""
    values = parse_qs(environ.get("QUERY_STRING", "")).get("token")
    return values[0][:200] if values else None


def _cookie_language(cookie_header: str | None) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return normalise_language(None)
    morsel = jar.get(LANGUAGE_COOKIE)
    return normalise_language(morsel.value if morsel else None)


class GuardedEventNamespace(EventNamespace):
    def __init__(self, namespace: str, app: rx.App, guard: FloodGuard, trusted_proxies: list[str]) -> None:
        super().__init__(namespace, app)
        self.guard = guard
        self._trusted = parse_networks(trusted_proxies)
        self._pending: dict[str, set[EventFuture]] = {}
        self._refusals = _RefusalLog()

    # -- admission ------------------------------------------------------------------------------------

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in _LIFECYCLE_EVENTS or not args:
            return await super().trigger_event(event, *args)
        sid = args[0]
        if self.guard.refusal(sid) is not None:
            return None  # already told and being disconnected: drop what is still in the pipe
        size = wire_size(list(args[1:]))
        refusal = self.guard.admit(sid, size=size, pending=len(self._pending.get(sid, ())))
        if refusal is not None:
            await self._refuse(sid, refusal, size)
            return None
        return await super().trigger_event(event, *args)

    async def on_connect(self, sid: str, environ: dict, auth: Any = None) -> None:
        scope = environ.get("asgi.scope", {})
        headers = [(bytes(k).lower(), bytes(v)) for k, v in scope.get("headers", [])]
        cookie = b"; ".join(v for k, v in headers if k == b"cookie").decode("latin-1")
        forwarded = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
        peer = (scope.get("client") or (None,))[0]
        stopped = self.guard.stopped(_page_token(environ))
        if stopped is not None:  # a page stopped a moment ago: its notice stays until the hold ends
            self._refusals.note("reconnect of a stopped page refused", stopped[0])
            language = _cookie_language(cookie)
            raise SocketConnectionRefused(
                notice_text(stopped[0], self.guard.limits, language, size=stopped[1])
            )
        address = client_address(peer, forwarded, self._trusted)
        self.guard.open(sid, session=session_key(session_token_from_header(cookie)), address=address)
        size = wire_size(auth)
        refusal = self.guard.admit(sid, size=size, pending=0)  # the connect counts as one event
        if refusal is not None:
            self.guard.close(sid)
            text = notice_text(refusal, self.guard.limits, _cookie_language(cookie), size=size)
            self._refusals.note("connect refused", refusal)
            raise SocketConnectionRefused(text)
        try:
            await super().on_connect(sid, environ, auth)
        except BaseException:
            self._forget(sid)  # a refused connect never reaches on_disconnect
            raise

    async def _refuse(self, sid: str, refusal: Refusal, size: int) -> None:
        """Tell the page why (both languages; the page shows its own), then close the socket."""
        self._refusals.note("connection stopped", refusal)
        self.guard.hold_stopped(self.sid_to_token.get(sid), refusal, size)
        texts = {lang: notice_text(refusal, self.guard.limits, lang, size=size) for lang in LANGUAGES}
        values = {f"limit_notice_{lang}{FIELD_MARKER}": text for lang, text in texts.items()}
        delta = {AppState.get_full_name(): values}
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)
        try:
            await self.emit("event", StateUpdate(delta=delta), to=sid)
            await self.disconnect(sid)
        finally:
            if eio_sid is not None:
                await self.server.eio.disconnect(eio_sid)

    # -- what is queued -------------------------------------------------------------------------------

    async def on_event(self, sid: str, data: Any) -> None:
        """Reflex's ``on_event``, keeping the future of the event it queued (the newest one)."""
        futures = self.app.event_processor._futures
        newest_before = next(reversed(futures), None) if futures else None
        await super().on_event(sid, data)
        newest = next(reversed(futures), None) if futures else None
        if newest is None or newest == newest_before:
            return
        pending = self._pending.setdefault(sid, set())
        future = futures[newest]
        pending.add(future)
        future.add_done_callback(pending.discard)

    def on_disconnect(self, sid: str, reason: Any = None) -> Any:
        self._forget(sid)
        return super().on_disconnect(sid)

    def _forget(self, sid: str) -> None:
        """Close the connection's budget and cancel its events that have not started."""
        self.guard.close(sid)
        processor = self.app._event_processor
        running = processor._tasks if processor is not None else {}
        for future in self._pending.pop(sid, set()):
            if not future.done() and future.txid not in running:
                future.cancel()


def install(app: rx.App) -> GuardedEventNamespace:
    """Put the guarded namespace in place of Reflex's (before the server starts)."""
    current = app.event_namespace
    if current is None or app.sio is None:
        raise RuntimeError("the app has no websocket namespace to guard")
    settings = get_settings()
    guarded = GuardedEventNamespace(
        current.namespace, app, FloodGuard(limits_from(settings)), settings.trusted_proxies
    )
    app.sio.register_namespace(guarded)
    app._event_namespace = guarded
    return guarded
