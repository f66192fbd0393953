"""A small, hostile Socket.IO client that speaks Reflex 0.10.1's event protocol.

It is what an attacker would write: it opens the websocket itself (any ``Cookie`` and ``Origin`` header),
calls any event handler by its full name with any payload, and records every frame the server sends.

The wire, as Reflex 0.10.1 uses it (``reflex/app.py`` ``EventNamespace``, ``.web/utils/state.js``):

* Engine.IO v4 over a plain websocket at ``/_event/?EIO=4&transport=websocket&token=<client token>``
  (websocket only: the server allows no polling and no upgrades). The token is a random id the browser
  makes up; it only names the state instance, it is no identity.
* Socket.IO v5 on the namespace ``/_event``: ``40/_event,`` connects; the server answers ``40`` or ``44``
  (refused). Engine.IO pings (``2``) are answered with pongs (``3``).
* An event is ``42/_event,["event", {"name": ..., "payload": {...}, "router_data": {...}}]``; the server
  answers with zero or more ``["event", {"delta": {...}, "events": [...]}]`` messages.

Reflex 0.10.1 no longer sends a ``final`` flag (``StateUpdate.final`` is deprecated and never set), and
a handler that changes nothing sends nothing at all. To know that an event has been processed, the client
sends a *barrier* right after it: ``State.hydrate`` with a unique marker in its router data. Reflex runs
the (non-background) events of one client token strictly one after the other, so once the barrier's
full-state answer (recognisable by the marker) arrives, the event before it has finished. Chained events
and the error toast of a failed handler can still trail it by a few milliseconds, so the client keeps
reading until the line has been quiet for a short while. The barrier's answer is recorded too: it is the
complete state the client could see after the call.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from socketio import packet as sio_packet
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    RejectConnection,
    RejectData,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError

NAMESPACE = "/_event"
ENGINEIO_PATH = "/_event/"
ROOT_STATE = "reflex___state____state"
BARRIER_EVENT = f"{ROOT_STATE}.hydrate"
BARRIER_QUERY_KEY = "ogp_security_barrier"
REFLEX_EVENT = "event"
NO_PAYLOAD: Any = object()  # send_event/call without a payload send {}

# Engine.IO packet types (text frames start with the digit).
_EIO_OPEN, _EIO_CLOSE, _EIO_PING, _EIO_PONG, _EIO_MESSAGE = "0", "1", "2", "3", "4"


class _AsciiJson:
    """JSON for outgoing packets, ASCII-escaped so lone surrogates and the like survive the trip."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        kwargs["ensure_ascii"] = True
        return json.dumps(obj, **kwargs)

    @staticmethod
    def loads(text: str | bytes, **kwargs: Any) -> Any:
        return json.loads(text, **kwargs)


class _Packet(sio_packet.Packet):
    json = _AsciiJson


class ReflexProtocolError(RuntimeError):
    """The server said something this client does not understand, or nothing in time."""


class ConnectionRefused(ReflexProtocolError):
    """The server refused the websocket handshake or the Socket.IO namespace connect."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ConnectionLost(ReflexProtocolError):
    """The server closed the connection."""


@dataclass(frozen=True)
class Received:
    """One Socket.IO event the server sent: its name, its data and the raw frame text."""

    event: str
    data: Any
    raw: str
    at: float


@dataclass
class CallResult:
    """What came back for one ``call``: updates for the event itself, and the barrier's full state."""

    name: str
    payload: Any
    updates: list[dict[str, Any]] = field(default_factory=list)
    other: list[Received] = field(default_factory=list)
    barrier_state: dict[str, Any] | None = None
    before_state: dict[str, Any] | None = None  # the full state just before the event was sent
    completed: bool = False

    @property
    def deltas(self) -> list[dict[str, Any]]:
        return [u["delta"] for u in self.updates if isinstance(u.get("delta"), dict)]

    @property
    def events(self) -> list[Any]:
        return [e for u in self.updates for e in (u.get("events") or [])]

    def changed_vars(self) -> set[tuple[str, str]]:
        """(state full name, var key) for every var a delta of this call set to a different value.

        Reflex sends a var that was assigned its current value too; that changes nothing the caller
        can see, so only a value that differs from the state before the call counts.
        """
        before = self.before_state or {}
        missing = object()
        return {
            (state, var)
            for delta in self.deltas
            for state, values in delta.items()
            if isinstance(values, Mapping)
            for var, value in values.items()
            if self.before_state is None or (before.get(state) or {}).get(var, missing) != value
        }


def _router_data(pathname: str, query: Mapping[str, str] | None = None) -> dict[str, Any]:
    search = f"?{urlencode(dict(query))}" if query else ""
    data: dict[str, Any] = {"pathname": pathname, "asPath": pathname + search}
    if query:
        data["query"] = dict(query)
    return data


class ReflexClient:
    """One websocket connection to a running Reflex app, driven synchronously.

    ``cookie`` is the raw ``Cookie`` header (``None`` sends none); ``origin`` the ``Origin`` header
    (``None`` sends none). Everything received is kept in :attr:`received`, in order.
    """

    def __init__(
        self,
        base_url: str,
        *,
        cookie: str | None = None,
        origin: str | None = None,
        token: str | None = None,
        timeout: float = 15.0,
        quiet: float = 0.02,
        extra_headers: Mapping[str, str] | None = None,
        source_address: str | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.hostname is None:
            raise ValueError(f"not a URL: {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.cookie = cookie
        self.origin = origin
        self.token = token or str(uuid.uuid4())
        self.timeout = timeout
        self.last_state: dict[str, Any] | None = None  # full state after the latest barrier
        self.quiet = quiet
        self.extra_headers = dict(extra_headers or {})
        self.source_address = source_address  # e.g. 127.0.0.7: another client address on loopback
        self.received: list[Received] = []
        self.handshake: dict[str, Any] = {}
        self.sid: str | None = None
        self._sock: socket.socket | None = None
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._pending: list[Received] = []
        self._partial: list[str] = []
        self._frames: deque[str] = deque()
        self._handshake_status: int | None = None
        self._closed = False

    # -- connection -------------------------------------------------------------------------------

    def connect(self) -> ReflexClient:
        """Open the websocket, read Engine.IO's open packet, connect to the ``/_event`` namespace."""
        source = (self.source_address, 0) if self.source_address else None
        self._sock = socket.create_connection(
            (self.host, self.port), timeout=self.timeout, source_address=source
        )
        headers: list[tuple[bytes, bytes]] = []
        if self.origin is not None:
            headers.append((b"origin", self.origin.encode("latin-1")))
        if self.cookie is not None:
            headers.append((b"cookie", self.cookie.encode("latin-1")))
        headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.extra_headers.items()]
        target = ENGINEIO_PATH + "?" + urlencode({"EIO": "4", "transport": "websocket", "token": self.token})
        self._send_bytes(
            self._ws.send(Request(host=f"{self.host}:{self.port}", target=target, extra_headers=headers))
        )
        self._await_handshake()
        opened = self._next_engineio_frame(self.timeout)
        if not opened.startswith(_EIO_OPEN):
            raise ReflexProtocolError(f"expected an Engine.IO open packet, got {opened[:200]!r}")
        self.handshake = json.loads(opened[1:])
        self._send_socketio(_Packet(sio_packet.CONNECT, namespace=NAMESPACE))
        deadline = time.monotonic() + self.timeout
        while True:
            frame = self._next_engineio_frame(deadline - time.monotonic())
            if not frame.startswith(_EIO_MESSAGE):
                continue
            pkt = sio_packet.Packet(encoded_packet=frame[1:])
            if pkt.packet_type == sio_packet.CONNECT:
                self.sid = (pkt.data or {}).get("sid")
                return self
            if pkt.packet_type == sio_packet.CONNECT_ERROR:
                raise ConnectionRefused(f"namespace connect refused: {pkt.data!r}")
            self._queue_packet(pkt, frame)

    def _await_handshake(self) -> None:
        deadline = time.monotonic() + self.timeout
        while self._handshake_status is None:
            self._fill(deadline - time.monotonic())
        if self._handshake_status != 101:
            self._close_socket()
            raise ConnectionRefused(
                f"websocket handshake refused with HTTP {self._handshake_status}",
                status=self._handshake_status,
            )

    def close(self) -> None:
        if self._sock is None:
            return
        if not self._closed:
            try:
                self._send_engineio(_EIO_CLOSE)
                self._send_bytes(self._ws.send(CloseConnection(code=1000)))
            except Exception:  # already gone: nothing to close
                pass
        self._close_socket()

    def _close_socket(self) -> None:
        self._closed = True
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    def __enter__(self) -> ReflexClient:
        return self.connect()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        return self._sock is not None and not self._closed

    # -- sending ----------------------------------------------------------------------------------

    def emit(self, event: str, data: Any = None) -> None:
        """Send any Socket.IO event on the Reflex namespace (``event``, ``ping``, ``client_error``...)."""
        args = [event] if data is None else [event, data]
        self._send_socketio(_Packet(sio_packet.EVENT, data=args, namespace=NAMESPACE))

    def send_raw(self, text: str) -> None:
        """Send one raw websocket text frame (for malformed-frame tests)."""
        self._send_text(text)

    def send_event(
        self, name: str, payload: Any = NO_PAYLOAD, *, router_data: Mapping[str, Any] | None = None
    ) -> None:
        """Fire one Reflex event without waiting. ``payload`` goes out as given (``None`` too)."""
        self.emit(
            REFLEX_EVENT,
            {
                "name": name,
                "payload": {} if payload is NO_PAYLOAD else payload,
                "router_data": dict(router_data) if router_data is not None else _router_data("/"),
            },
        )

    def call(
        self,
        name: str,
        payload: Any = NO_PAYLOAD,
        *,
        pathname: str = "/",
        router_data: Mapping[str, Any] | None = None,
        settle: float = 0.0,
    ) -> CallResult:
        """Send an event by full handler name and collect what comes back until it has been processed.

        ``router_data`` replaces what a browser would send (pathname, query...); ``settle`` waits that
        long before the barrier (background handlers run outside the per-client order, so the barrier
        alone does not prove they finished).
        """
        if self.last_state is None:  # a baseline, so changed_vars() can tell real changes
            self.last_state = self._barrier(CallResult(name="baseline", payload=None), pathname)
        result = CallResult(name=name, payload=payload, before_state=self.last_state)
        self.send_event(name, payload, router_data=router_data or _router_data(pathname))
        if settle:
            self._collect(result, until=lambda _r: False, timeout=settle)
        result.barrier_state = self._barrier(result, pathname)
        self.last_state = result.barrier_state
        result.completed = True
        # Chained events and error toasts may trail the barrier by a few milliseconds.
        self._collect(result, until=lambda _r: False, timeout=self.quiet, quiet=True)
        return result

    def _barrier(self, result: CallResult, pathname: str) -> dict[str, Any] | None:
        """Send a hydrate with a unique marker; its answer proves earlier events finished. Full state."""
        marker = uuid.uuid4().hex
        self.send_event(BARRIER_EVENT, {}, router_data=_router_data(pathname, {BARRIER_QUERY_KEY: marker}))

        def is_barrier(received: Received) -> bool:
            return received.event == REFLEX_EVENT and marker in received.raw

        barrier = self._collect(result, until=is_barrier, timeout=self.timeout)
        if barrier is None:
            raise ReflexProtocolError(f"no answer to the barrier after {result.name} within {self.timeout} s")
        delta = barrier.data.get("delta") if isinstance(barrier.data, dict) else None
        return delta if isinstance(delta, dict) else None

    def ping(self, timeout: float | None = None) -> bool:
        """Reflex's own liveness check: a ``ping`` event answered by ``pong`` through the event loop."""
        self.emit("ping")
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            received = self._next_received(deadline - time.monotonic())
            if received is None:
                return False
            if received.event == "ping" and received.data == "pong":
                return True
        return False

    def drain(self, seconds: float) -> list[Received]:
        """Everything that arrives within ``seconds``."""
        out: list[Received] = []
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            received = self._next_received(remaining)
            if received is None:
                break
            out.append(received)
        return out

    def transcript(self) -> str:
        """Every frame received on this connection, as text: what the leak checks read."""
        parts = []
        for r in self.received:
            parts.append(r.raw)
            parts.append(json.dumps(r.data, ensure_ascii=False, default=str))
        return "\n".join(parts)

    # -- receiving --------------------------------------------------------------------------------

    def _collect(
        self,
        result: CallResult,
        *,
        until: Callable[[Received], bool],
        timeout: float,
        quiet: bool = False,
    ) -> Received | None:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            received = self._next_received(remaining)
            if received is None:
                return None
            if until(received):
                return received
            if received.event == REFLEX_EVENT and isinstance(received.data, dict):
                result.updates.append(received.data)
            else:
                result.other.append(received)
            if quiet:  # keep reading while the line is busy
                deadline = time.monotonic() + timeout
        return None

    def _next_received(self, timeout: float) -> Received | None:
        deadline = time.monotonic() + max(timeout, 0.0)
        while not self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                frame = self._next_engineio_frame(remaining)
            except TimeoutError:
                return None
            if frame.startswith(_EIO_MESSAGE):
                self._queue_packet(sio_packet.Packet(encoded_packet=frame[1:]), frame)
            elif frame.startswith(_EIO_CLOSE):
                self._close_socket()
                raise ConnectionLost("server sent an Engine.IO close packet")
        return self._pending.pop(0)

    def _queue_packet(self, pkt: Any, frame: str) -> None:
        if pkt.packet_type == sio_packet.DISCONNECT:
            self._close_socket()
            raise ConnectionLost("server disconnected the namespace")
        if pkt.packet_type != sio_packet.EVENT or not isinstance(pkt.data, list) or not pkt.data:
            received = Received(event=f"<packet {pkt.packet_type}>", data=pkt.data, raw=frame, at=time.time())
        else:
            data = pkt.data[1] if len(pkt.data) > 1 else None
            received = Received(event=str(pkt.data[0]), data=data, raw=frame, at=time.time())
        self.received.append(received)
        self._pending.append(received)

    def _next_engineio_frame(self, timeout: float) -> str:
        """The next complete Engine.IO text frame (pings are answered on the way)."""
        deadline = time.monotonic() + timeout
        while not self._frames:
            self._fill(deadline - time.monotonic())
        return self._frames.popleft()

    def _fill(self, timeout: float) -> None:
        """Read once from the socket and handle what arrived; raises TimeoutError when nothing came."""
        if self._sock is None:
            raise ConnectionLost("connection is closed")
        if timeout <= 0:
            raise TimeoutError("timed out waiting for the server")
        self._sock.settimeout(timeout)
        try:
            data = self._sock.recv(65536)
        except TimeoutError:
            raise
        except OSError as exc:
            self._close_socket()
            raise ConnectionLost(f"connection failed: {exc}") from exc
        if not data:
            self._close_socket()
            raise ConnectionLost("server closed the TCP connection")
        self._ws.receive_data(data)
        for event in self._ws.events():
            if isinstance(event, AcceptConnection):
                self._handshake_status = 101
            elif isinstance(event, RejectConnection):
                self._handshake_status = event.status_code
            elif isinstance(event, RejectData):
                continue
            elif isinstance(event, Ping):
                self._send_bytes(self._ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                try:
                    self._send_bytes(self._ws.send(event.response()))
                finally:
                    self._close_socket()
                raise ConnectionLost(f"server closed the websocket: {event.code} {event.reason}")
            elif isinstance(event, TextMessage):
                self._partial.append(event.data)
                if not event.message_finished:
                    continue
                frame, self._partial = "".join(self._partial), []
                if frame == _EIO_PING:
                    self._send_engineio(_EIO_PONG)
                else:
                    self._frames.append(frame)
            elif isinstance(event, BytesMessage):
                raise ReflexProtocolError("unexpected binary frame from the server")

    def _send_socketio(self, pkt: Any) -> None:
        encoded = pkt.encode()
        if isinstance(encoded, list):  # binary attachments: not used by Reflex
            raise ReflexProtocolError("binary Socket.IO packets are not supported")
        self._send_engineio(_EIO_MESSAGE + encoded)

    def _send_engineio(self, text: str) -> None:
        self._send_text(text)

    def _send_text(self, text: str) -> None:
        if not self.connected:
            raise ConnectionLost("connection is closed")
        try:
            frame = self._ws.send(TextMessage(data=text))
        except LocalProtocolError as exc:  # the websocket is closing
            self._close_socket()
            raise ConnectionLost(f"connection is closing: {exc}") from exc
        self._send_bytes(frame)

    def _send_bytes(self, data: bytes) -> None:
        if self._sock is None:
            raise ConnectionLost("connection is closed")
        try:
            self._sock.sendall(data)
        except OSError as exc:
            self._close_socket()
            raise ConnectionLost(f"send failed: {exc}") from exc
