"""A page state as one websocket connection holds it: the root state with the request's cookie header,
so handlers resolve identity from the session cookie exactly as they do when served."""

from __future__ import annotations

from typing import TypeVar

import reflex as rx
from reflex.istate.data import RouterData

S = TypeVar("S", bound=rx.State)


def state_with_cookie(state_class: type[S], cookie: str | None = None) -> S:
    """A fresh ``state_class`` substate; ``cookie`` is the raw Cookie header (None: none sent)."""
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    if cookie is not None:
        root.router = RouterData.from_router_data({"headers": {"cookie": cookie}})
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    assert isinstance(state, state_class)
    return state
