"""Bind each Reflex state instance to the log-in session it was filled under.

Reflex keys a browser tab's state by a client token the browser makes up (a Math.random UUID that
travels in the websocket URL, so it ends up in proxy logs). Whoever presents that token after the tab
closed gets that state: Reflex's ``hydrate`` sends the whole snapshot, public vars and all, before any
handler of ours runs. This middleware runs before every event: when the session cookie of the
connection is not the one the state was filled under, every state of the app is reset to its defaults
first. A log-in or log-out (a full page load with a new cookie) resets the same way, so nothing of the
previous person survives in the tab either.
"""

from __future__ import annotations

import functools
import hashlib
from typing import TYPE_CHECKING

from reflex.istate.manager.memory import StateManagerMemory
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate

from ogp_app.state.base import AppState, session_token

if TYPE_CHECKING:
    from reflex.app import App
    from reflex_base.event import Event


def session_binding(cookie_header: str | None) -> str:
    """What the state remembers of the session: a derived hash, never the token itself; "" for nobody."""
    token = session_token(cookie_header)
    if not token:
        return ""
    return hashlib.sha256(b"ogp-state-binding\0" + token.encode()).hexdigest()


@functools.cache
def _app_state_classes(state: type[BaseState]) -> tuple[type[BaseState], ...]:
    found: list[type[BaseState]] = []
    for sub in state.get_substates():
        if sub.__module__.startswith("ogp_app."):
            found.append(sub)
        found += _app_state_classes(sub)
    return tuple(found)


def _tree_made_at_once(app: App) -> bool:
    """Whether a tab's states are created and dropped together. So with the memory state manager: a new
    AppState means nothing else of the tab exists. Redis (and disk) store each state on its own, written
    when touched and expiring on its own: a fresh AppState may sit beside an older page state that still
    holds someone's data."""
    return isinstance(app.state_manager, StateManagerMemory)


class SessionBindingMiddleware(Middleware):
    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        binding = session_binding(state.router.headers.cookie)
        app_state = await state.get_state(AppState)
        if app_state._session_binding is None and _tree_made_at_once(app):
            # A tree this event created: all defaults, nobody's data in it yet. (It is bound at its first
            # event; a page load costs a full reset of 46 states otherwise.)
            app_state._session_binding = binding
        elif app_state._session_binding != binding:
            root = state._get_root_state()
            classes = _app_state_classes(type(root))
            for cls in classes:  # loaded first: with Redis a substate not loaded would escape the reset
                await root.get_state(cls)
            for cls in classes:
                if cls.get_parent_state() not in classes:  # reset() goes on into every loaded substate
                    (await root.get_state(cls)).reset()
            app_state._session_binding = binding
        return None
