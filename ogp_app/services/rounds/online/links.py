"""Video links: checking a URL an admin or teacher typed, room names, and when a link is shown.

OGP never requests these URLs itself; it only hands them to the people of a conversation. So the check
is about where the link leads a parent's browser: https, no password in it, and no host inside a private
network (an address that is not public, or a name that only an intranet resolves) unless the operator
allows it (OGP_VIDEO_ALLOW_PRIVATE_NETWORK). Names are not resolved: a link is not fetched, and the
school's video host need not be resolvable from the OGP server.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from ogp_app.core.settings import get_settings
from ogp_app.services.rounds.online.errors import VideoUrlInvalid

JOIN_OPENS_BEFORE = timedelta(minutes=10)  # the page shows the link from then (the mail says so)
JOIN_CLOSES_AFTER = timedelta(minutes=60)  # ... until an hour after the conversation's end
ROOM_BYTES = 20  # 160 bits: a room nobody can guess (the issue asks for 128 or more)
MAX_URL_LENGTH = 500
_PRIVATE_SUFFIXES = (".local", ".localhost", ".internal", ".intranet", ".lan", ".home.arpa", ".corp")


def check_video_url(url: str, *, allow_private: bool | None = None) -> str:
    """The URL, trimmed, if a parent's browser may be sent there; else :class:`VideoUrlInvalid`."""
    url = url.strip()
    if allow_private is None:
        allow_private = get_settings().video_allow_private_network
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise VideoUrlInvalid("unreadable URL") from error
    host = (parts.hostname or "").rstrip(".")
    if len(url) > MAX_URL_LENGTH or parts.scheme != "https" or not host:
        raise VideoUrlInvalid("not an https URL with a host")
    if parts.username is not None or parts.password is not None or any(c.isspace() for c in url):
        raise VideoUrlInvalid("credentials or spaces in the URL")
    if port is not None and not 0 < port < 65536:
        raise VideoUrlInvalid("port out of range")
    if not allow_private and _private_host(host):
        raise VideoUrlInvalid(f"{host!r} is not a public host")
    return url


def _private_host(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        name = host.lower()
        return "." not in name or name.endswith(_PRIVATE_SUFFIXES) or name == "localhost"
    return not address.is_global


def new_room_name() -> str:
    """A Jitsi room for one conversation: ``ogp-`` and 160 random bits in hex (letters Jitsi keeps as-is)."""
    return "ogp-" + secrets.token_hex(ROOM_BYTES)


def jitsi_link(base_url: str, room: str) -> str:
    return base_url.rstrip("/") + "/" + quote(room, safe="")


def link_shown(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Whether a page shows the link now: from 10 minutes before until an hour after the conversation."""
    return starts_at - JOIN_OPENS_BEFORE <= now <= ends_at + JOIN_CLOSES_AFTER


def link_opens_at(starts_at: datetime) -> datetime:
    return starts_at - JOIN_OPENS_BEFORE
