"""No test reaches the internet: any socket connection to a host that is not this machine fails.

Loopback addresses (127.0.0.0/8, ::1), ``localhost`` and unix sockets are allowed; everything else
raises at ``connect`` time, so a test that would call Stripe (or any other host) for real fails loudly.
Child processes (the app server, localstripe, Chromium) are outside this guard by design.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class OutboundConnectionBlocked(RuntimeError):
    pass


def is_local(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # unix socket paths (str/bytes)
    host = str(address[0]).split("%", 1)[0]
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def install() -> None:
    """Wrap ``socket.socket.connect``/``connect_ex`` once per process."""
    if getattr(socket.socket, "_ogp_guarded", False):
        return
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address):
            raise OutboundConnectionBlocked(f"test tried to connect to {address!r}: only local hosts allowed")

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return original_connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.socket._ogp_guarded = True  # type: ignore[attr-defined]
