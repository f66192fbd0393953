"""Reflex's websocket event protocol on asyncio, for benches that hold a thousand pages from one process.

The same wire as tests/security/reflex_client.py (Engine.IO v4 over a plain websocket, Socket.IO v5 on
the ``/_event`` namespace; see there), without a thread per connection: each page is a task reading its
socket, answering the server's pings, and queueing the ``event`` messages the server sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any
from urllib.parse import urlencode, urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

_NAMESPACE = "/_event"
_CONNECT = "40" + _NAMESPACE + ","  # Engine.IO message (4) + Socket.IO connect (0)
_REFUSED = "44" + _NAMESPACE + ","
_EVENT = "42" + _NAMESPACE + ","
_DISCONNECT = "41" + _NAMESPACE


class PageClosed(RuntimeError):
    """The server refused, closed or dropped the page's websocket, or did not answer in time."""


class AsyncPage:
    """One browser tab's websocket: ``connect``, ``send`` events by full handler name, ``receive``
    the server's ``event`` messages (``{"delta": ..., "events": ...}``)."""

    def __init__(self, base_url: str, *, cookie: str | None = None, origin: str | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "localhost", parts.port or 80
        self.cookie, self.origin = cookie, origin
        self.token = str(uuid.uuid4())
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._writer: asyncio.StreamWriter | None = None
        self._messages: asyncio.Queue[Any] = asyncio.Queue()
        self._opened: asyncio.Future[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._partial: list[str] = []
        self._boot: dict[str, Any] | None = None

    async def connect(self, timeout: float, boot: dict[str, Any] | None = None) -> None:
        """Open the websocket and join Reflex's namespace; ``boot`` is the event the browser puts in the
        Socket.IO connect packet (``hydrate_and_load``), processed as soon as the namespace connects."""
        self._boot = boot
        reader, self._writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), timeout)
        self._opened = asyncio.get_running_loop().create_future()
        headers = [(b"origin", self.origin.encode())] if self.origin else []
        headers += [(b"cookie", self.cookie.encode())] if self.cookie else []
        query = urlencode({"EIO": "4", "transport": "websocket", "token": self.token})
        self._write(
            self._ws.send(
                Request(host=f"{self.host}:{self.port}", target=f"/_event/?{query}", extra_headers=headers)
            )
        )
        self._reader = asyncio.create_task(self._read(reader))
        await asyncio.wait_for(self._opened, timeout)

    async def send(self, name: str, payload: dict[str, Any], router_data: dict[str, Any]) -> None:
        """Fire one event (``state full name.handler``) as the page does on a tap."""
        message = {"name": name, "payload": payload, "router_data": router_data}
        self._write(self._ws.send(TextMessage(data=_EVENT + json.dumps(["event", message]))))

    async def receive(self, timeout: float) -> dict[str, Any]:
        """The next ``event`` message the server sent; PageClosed when the socket went or time ran out."""
        try:
            message = await asyncio.wait_for(self._messages.get(), timeout)
        except TimeoutError as exc:
            raise PageClosed(f"no message within {timeout} s") from exc
        if isinstance(message, PageClosed):
            raise message
        return dict(message)

    async def close(self) -> None:
        if self._writer is not None and not self._writer.is_closing():
            with contextlib.suppress(Exception):  # already gone: nothing to close
                self._write(self._ws.send(TextMessage(data="1")))  # Engine.IO close
                self._write(self._ws.send(CloseConnection(code=1000)))
            self._writer.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, PageClosed):
                await self._reader

    def _write(self, data: bytes) -> None:
        if self._writer is None or self._writer.is_closing():
            raise PageClosed("the websocket is closed")
        self._writer.write(data)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while data := await reader.read(65536):
                self._ws.receive_data(data)
                for event in self._ws.events():
                    self._handle(event)
            self._fail(PageClosed("the server closed the connection"))
        except (OSError, PageClosed) as exc:
            self._fail(exc if isinstance(exc, PageClosed) else PageClosed(f"connection failed: {exc}"))

    def _handle(self, event: object) -> None:
        if isinstance(event, AcceptConnection):
            return
        if isinstance(event, RejectConnection):
            raise PageClosed(f"websocket refused with HTTP {event.status_code}")
        if isinstance(event, Ping):
            self._write(self._ws.send(event.response()))
        elif isinstance(event, CloseConnection):
            raise PageClosed(f"the server closed the websocket: {event.code}")
        elif isinstance(event, TextMessage):
            self._partial.append(event.data)
            if event.message_finished:
                frame, self._partial = "".join(self._partial), []
                self._frame(frame)

    def _frame(self, frame: str) -> None:
        if frame == "2":  # Engine.IO ping
            self._write(self._ws.send(TextMessage(data="3")))
        elif frame.startswith("0"):  # Engine.IO open: join Reflex's namespace
            auth = json.dumps({"event": self._boot}) if self._boot else ""
            self._write(self._ws.send(TextMessage(data=_CONNECT + auth)))
        elif frame.startswith(_CONNECT):
            if self._opened is not None and not self._opened.done():
                self._opened.set_result(None)
        elif frame.startswith(_EVENT):
            name, *args = json.loads(frame[len(_EVENT) :])
            if name == "event" and args and isinstance(args[0], dict):
                self._messages.put_nowait(args[0])
        elif frame.startswith((_REFUSED, _DISCONNECT, "1")):
            raise PageClosed(f"the server ended the page: {frame[:200]}")

    def _fail(self, exc: PageClosed) -> None:
        if self._opened is not None and not self._opened.done():
            self._opened.set_exception(exc)
        self._messages.put_nowait(exc)
