"""What the websocket benches read from /book's deltas (import after the bench has set its database)."""

from __future__ import annotations

from typing import Any

from ogp_app.pages.family.book.state import BookState

BOOK = BookState.get_full_name()


def book_vars(data: Any) -> dict[str, Any]:
    """BookState's vars in one server message, without Reflex's ``_rx_state_`` suffix."""
    delta = data.get("delta") if isinstance(data, dict) else None
    values = delta.get(BOOK) if isinstance(delta, dict) else None
    if not isinstance(values, dict):
        return {}
    return {k.removesuffix("_rx_state_"): v for k, v in values.items()}
