"""Every event handler a websocket client can call, found by introspection of the app's state tree.

Importing ``ogp_app.ogp_app`` registers every state (page states are imported by the app module).
The tree is walked twice: through Reflex's registry (``get_substates``, what the server dispatches on)
and through Python's ``__subclasses__`` (what exists in code). A new handler in any page state is
covered without editing a test.

Nothing is skipped. Reflex's own states (the root ``State``, ``OnLoadInternalState``,
``UpdateVarsInternalState``, ``FrontendEventExceptionState``, ``SharedStateBaseInternal``) hold no app
data, but their handlers are as callable as ours, so they get the same leak, row and crash checks;
they are only exempt from "an anonymous caller must be refused" (see :func:`is_framework_state`),
because every anonymous page load calls them. The only classes not walked are state *mixins*
(``ComponentState`` and the like): Reflex never registers or instantiates them, so nothing can be
called on them; the states built from them are walked like any other.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

import reflex as rx
from reflex.state import BaseState
from reflex_base.event import EventHandler
from reflex_base.registry import RegistrationContext
from reflex_base.utils.format import format_event_handler

FRAMEWORK_MODULE_PREFIXES = ("reflex.", "reflex_base.", "reflex_components_")


@dataclass(frozen=True)
class HandlerInfo:
    """One callable event handler."""

    state: type[BaseState]
    attr: str
    handler: EventHandler
    wire_name: str  # what a client puts in the event's "name"
    params: tuple[inspect.Parameter, ...]
    hints: dict[str, Any]

    @property
    def key(self) -> str:
        """Stable, readable id: ``module.Class.handler`` (the allow-list's keys)."""
        return f"{self.state.__module__}.{self.state.__qualname__}.{self.attr}"

    @property
    def short(self) -> str:
        return f"{self.state.__name__}.{self.attr}"

    @property
    def is_framework(self) -> bool:
        return is_framework_state(self.state)

    @property
    def is_background(self) -> bool:
        return bool(self.handler.is_background)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.default is inspect.Parameter.empty and _named(p))

    def hint(self, name: str) -> Any:
        return self.hints.get(name, Any)


def _named(param: inspect.Parameter) -> bool:
    return param.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def is_framework_state(state: type[BaseState]) -> bool:
    """Reflex's own states, which hold no app data (see module docstring)."""
    return state is rx.State or state.__module__.startswith(FRAMEWORK_MODULE_PREFIXES)


def _import_app() -> None:
    import ogp_app.ogp_app  # noqa: F401 - registers every state of the app


def registered_states() -> list[type[BaseState]]:
    """The state tree as Reflex's registry knows it (what the server resolves event names against)."""
    _import_app()
    found: list[type[BaseState]] = []

    def walk(state: type[BaseState]) -> None:
        found.append(state)
        for sub in sorted(state.get_substates(), key=lambda s: s.get_full_name()):
            walk(sub)

    walk(rx.State)
    return found


def subclassed_states() -> list[type[BaseState]]:
    """Every non-mixin subclass of ``rx.State`` in Python's class hierarchy."""
    _import_app()
    found: list[type[BaseState]] = []
    seen: set[type[BaseState]] = set()

    def walk(state: type[BaseState]) -> None:
        if state in seen:
            return
        seen.add(state)
        if not getattr(state, "_mixin", False):
            found.append(state)
        for sub in state.__subclasses__():
            walk(sub)

    walk(rx.State)
    return found


def _signature(handler: EventHandler) -> tuple[tuple[inspect.Parameter, ...], dict[str, Any]]:
    fn = handler.fn
    params = tuple(inspect.signature(fn).parameters.values())[1:]  # drop `self` (the state)
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        hints = {}
    hints.pop("return", None)
    return params, hints


@cache
def all_handlers() -> tuple[HandlerInfo, ...]:
    """Every public event handler of every registered state, in a stable order."""
    found: list[HandlerInfo] = []
    for state in registered_states():
        for attr, handler in sorted(state.event_handlers.items()):
            params, hints = _signature(handler)
            found.append(
                HandlerInfo(
                    state=state,
                    attr=attr,
                    handler=handler,
                    wire_name=format_event_handler(handler),
                    params=params,
                    hints=hints,
                )
            )
    return tuple(found)


def dispatch_table() -> set[str]:
    """The event names the server would dispatch (Reflex's registry of event handlers)."""
    _import_app()
    return set(RegistrationContext.get().event_handlers)


def handler_by_key(key: str) -> HandlerInfo:
    for info in all_handlers():
        if info.key == key:
            return info
    raise KeyError(key)


def private_method_names() -> list[tuple[str, str]]:
    """(wire-style name, label) for every ``_method`` of the app's own states: must not be callable."""
    names: list[tuple[str, str]] = []
    for state in registered_states():
        if is_framework_state(state):
            continue
        for attr, value in sorted(vars(state).items()):
            if attr.startswith("_") and not attr.startswith("__") and inspect.isfunction(value):
                names.append((f"{state.get_full_name()}.{attr}", f"{state.__name__}.{attr}"))
    return names
